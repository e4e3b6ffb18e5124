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

    /**
     * Out-of-range values in iputils ping's own words (checked against iputils 20221126: {@code ping -c 0 127.0.0.1}),
     * with the flag added at the end; -c 0 used to ping forever. Refused before anything is opened.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-c | 0       | ping: invalid argument: '0': out of range: 1 <= value <= 9223372036854775807 (-c)",
        "-c | -1      | ping: invalid argument: '-1': out of range: 1 <= value <= 9223372036854775807 (-c)",
        "-c | many    | ping: invalid argument: 'many' (-c)",
        "-s | -1      | ping: invalid argument: '-1': out of range: 0 <= value <= 65507 (-s)",
        "-s | 65508   | ping: invalid argument: '65508': out of range: 0 <= value <= 65507 (-s)",
        "-t | 0       | ping: cannot set unicast time-to-live: Invalid argument (-t 0)",
        "-t | -1      | ping: invalid argument: '-1': out of range: 0 <= value <= 255 (-t)",
        "-t | 256     | ping: invalid argument: '256': out of range: 0 <= value <= 255 (-t)",
        "-i | 0       | ping: bad timing interval: 0 (-i)",
        "-i | -1      | ping: bad timing interval: -1 (-i)",
        "-i | 0.001   | ping: cannot flood; minimal interval allowed for user is 2ms (-i 0.001)",
        "-W | 0       | ping: bad linger time: 0 (-W)",
        "-W | -2.5    | ping: bad linger time: -2.5 (-W)",
    })
    void pingRangesAreCheckedInIputilsWords(String flag, String value, String message) {
        CommandRun run = CommandRun.of("ping", "--interface-name", "nosuch0", "--ip", "10.0.0.2/24", "--target-ip", "10.0.0.1", flag, value);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo(message + "\n");
        assertThat(run.out()).isEmpty();
    }

    /** A group MAC, or the subnet's network or broadcast address, as the stack's own: refused before anything is opened. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--mac | ff:ff:ff:ff:ff:ff | --ip 10.0.0.2/24 | arp: --mac ff:ff:ff:ff:ff:ff is the broadcast address: a station's own MAC must be unicast (first octet even), such as 02:00:00:00:00:01",
        "--mac | 01:00:5e:00:00:fb | --ip 10.0.0.2/24 | arp: --mac 01:00:5e:00:00:fb is a group (multicast) address, the lowest bit of its first octet set: a station's own MAC must be unicast (first octet even), such as 02:00:00:00:00:01",
        "--ip  | 10.0.0.0/24       | --tap            | arp: --ip 10.0.0.0/24 is the network address of 10.0.0.0/24: a host takes one of 10.0.0.1 to 10.0.0.254",
        "--ip  | 10.0.3.255/22     | --tap            | arp: --ip 10.0.3.255/22 is the broadcast address of 10.0.0.0/22: a host takes one of 10.0.0.1 to 10.0.3.254",
        "--ip  | 224.0.0.251/24    | --tap            | arp: --ip 224.0.0.251/24 is a multicast address (224.0.0.0/4): a host's own address must be unicast",
    })
    void anAddressNoHostMayHaveIsRefusedNamingTheFlag(String flag, String value, String otherOption, String message) {
        List<String> args = new java.util.ArrayList<>(List.of("arp", "--interface-name", "nosuch0", "--target-ip", "10.0.0.1", flag, value));
        args.addAll(List.of(otherOption.split(" ")));
        CommandRun run = CommandRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo(message + "\n");
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
