package dev.stacklab.cli;

import dev.stacklab.testsupport.KernelPeer;
import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What ping, arp and serve say when the host they would be cannot work, against a real kernel in a namespace the
 * test makes: an address the kernel already holds (found by RFC 5227 probes), a TAP device opened without --tap,
 * and a neighbor nobody answers for.
 */
class HostSetupAgainstKernelTest {
    private KernelPeer kernel;

    @BeforeEach
    void makeKernelPeer() {
        Prerequisites.requireCommand("ethtool");
        kernel = KernelPeer.create();
    }

    @AfterEach
    void removeKernelPeer() {
        if (kernel != null) {
            kernel.close();
        }
    }

    @Test
    void anAddressTheKernelHoldsIsRefusedNamingItsMacUnlessForced() {
        String taken = kernel.kernelAddress + "/24";
        String nobody = kernel.stackAddress.substring(0, kernel.stackAddress.lastIndexOf('.')) + ".77";
        for (String stacklabCommand : new String[] {"serve", "ping", "arp"}) {
            String command = stacklabCommand;
            CommandRun run = command.equals("serve")
                    ? CommandRun.of("serve", "--interface-name", kernel.stackDevice, "--ip", taken, "--duration", "1")
                    : CommandRun.of(command, "--interface-name", kernel.stackDevice, "--ip", taken, "--target-ip", nobody, "-c", "1");
            if (command.equals("arp")) {
                run = CommandRun.of("arp", "--interface-name", kernel.stackDevice, "--ip", taken, "--target-ip", nobody);
            }
            assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
            assertThat(run.err()).isEqualTo(command + ": --ip " + taken + ": " + kernel.kernelAddress + " is already in use: "
                    + kernel.kernelMac() + " answered for it (ARP reply) on " + kernel.stackDevice
                    + "; choose another address, or add --force to take it anyway\n");
            assertThat(run.out()).isEmpty();
        }

        // Forced, the stack takes it and gets on with the job: here an ARP request nobody answers.
        CommandRun forced = CommandRun.of("arp", "--interface-name", kernel.stackDevice, "--ip", taken, "--target-ip", nobody, "--force");
        assertThat(forced.exitCode()).as(forced.err()).isEqualTo(1);
        assertThat(forced.err()).isEqualTo("arp: no answer from " + nobody + " after 3 requests\n");
    }

    @Test
    void whenNobodyAnswersArpTheUnreachableLineNamesOurAddressAsIputilsDoes() {
        String nobody = kernel.stackAddress.substring(0, kernel.stackAddress.lastIndexOf('.')) + ".77";
        CommandRun run = CommandRun.of("ping", "--interface-name", kernel.stackDevice, "--ip", kernel.stackCidr(),
                "--target-ip", nobody, "-c", "1", "-W", "5");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("\nFrom " + kernel.stackAddress + " icmp_seq=1 Destination Host Unreachable\n")
                .contains("1 packets transmitted, 0 received, +1 errors, 100% packet loss");
    }

    @Test
    void aTapDeviceOpenedWithoutTapSaysToAddIt() {
        String tap = kernel.stackDevice.replace("slk", "slq");
        Processes.check("ip", "tuntap", "add", "dev", tap, "mode", "tap");
        try {
            CommandRun run = CommandRun.of("ping", "--interface-name", tap, "--ip", "10.98.0.2/24", "--target-ip", "10.98.0.1", "-c", "1");
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).isEqualTo("ping: " + tap + " is a TUN/TAP device: add --tap, so that the stack attaches to it"
                    + " through /dev/net/tun (through libpcap its frames never reach the kernel)\n");
            assertThat(run.out()).isEmpty();
            // A veth is no TAP device: the same check lets it through.
            CommandRun veth = CommandRun.of("arp", "--interface-name", kernel.stackDevice, "--ip", kernel.stackCidr(),
                    "--target-ip", kernel.kernelAddress);
            assertThat(veth.exitCode()).as(veth.err()).isZero();
        } finally {
            Processes.run("ip", "link", "del", tap);
        }
    }
}
