package dev.stacklab.cli;

import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import java.util.List;
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

    /**
     * libpcap really missing: in a mount namespace of its own, every libpcap the dynamic linker knows is covered by
     * /dev/null, then stacklab runs in a fresh JVM (JNA loads the library once per process).
     */
    @Test
    void withoutLibpcapTheMessageNamesThePackageToInstall() {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("unshare");
        String java = ProcessHandle.current().info().command().orElseThrow();
        String hideLibpcap = "libs=$(ldconfig -p | awk '/libpcap\\.so/ {print $NF}'); "
                + "[ -n \"$libs\" ] || { echo 'no libpcap to hide' >&2; exit 97; }; "
                + "for lib in $libs; do mount --bind /dev/null \"$(readlink -f \"$lib\")\" || exit 98; done; "
                + "exec \"$0\" -cp \"$1\" dev.stacklab.cli.Main ping --interface-name lo --target-ip 127.0.0.2 -c 1";
        Processes.Result run = Processes.run(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", hideLibpcap,
                java, System.getProperty("java.class.path")), 60);

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr().lines()).singleElement().asString()
                .startsWith("ping: libpcap is not installed").endsWith("install it with: sudo apt install libpcap0.8");
        assertThat(run.stdout()).isEmpty();
    }
}
