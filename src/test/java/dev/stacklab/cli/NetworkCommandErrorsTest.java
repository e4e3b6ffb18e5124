package dev.stacklab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;


import static org.assertj.core.api.Assertions.assertThat;

/** ping, arp and serve refuse bad input with one line that names what is wrong, and exit 2. */
class NetworkCommandErrorsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ping --interface-name lo --target-ip 10.0.0.256             | '--target-ip' | '10.0.0.256'",
        "ping --interface-name lo --target-ip 10.0.0.1 --ip 10.0.0.2 | '--ip'        | '10.0.0.2'",
        "arp --interface-name lo --target-ip 10.0.0.1 --mac 02:00:00 | '--mac'       | '02:00:00'",
        "serve --interface-name lo --gateway gateway                 | '--gateway'   | 'gateway'",
        "ping --interface-name lo --target-ip 10.0.0.1 -c many       | '-c'          | 'many'",
        "ping --interface-name lo --target-ip 10.0.0.1 -M maybe      | '-M'          | 'maybe'",
        "ping --interface-name lo --target-ip 10.0.0.1 -M DO         | '-M'          | 'DO'",
    })
    void aBadValueIsOneLineNamingTheFlagAndTheValue(String command, String flag, String value) {
        CommandRun run = CommandRun.of(command.split(" "));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains(flag).contains(value);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anUnknownInterfaceListsTheOnesThereAre() {
        CommandRun run = CommandRun.of("ping", "--interface-name", "nosuch0", "--target-ip", "10.0.0.1", "-c", "1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains("nosuch0").contains("lo");
    }

    @Test
    void aGatewayOffTheSubnetIsRefused() {
        CommandRun run = CommandRun.of("serve", "--interface-name", "lo", "--ip", "10.0.0.1/24", "--gateway", "192.168.1.1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains("192.168.1.1").contains("10.0.0.1/24");
    }

    @Test
    void pingRangesAreChecked() {
        CommandRun run = CommandRun.of("ping", "--interface-name", "lo", "--target-ip", "10.0.0.1", "-t", "0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains("-t").contains("0");
    }
}
