package dev.stacklab.cli;

import dev.stacklab.runtime.LabNetwork;
import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/** {@code stacklab labnet} really makes and removes the devices it promises, with the kernel side configured. */
class LabnetCommandTest {
    @BeforeEach
    void requireAFreeLab() {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip");
        Prerequisites.requireCommand("ethtool");
        LabNetwork.Status status = LabNetwork.status();
        if (status.vethExists() || status.namespaceExists() || status.tapExists()) {
            // Someone's lab network is up on this machine: a test must not take it down.
            Prerequisites.missing("a lab network already exists here (stacklab labnet status)");
        }
    }

    @AfterEach
    void removeWhatWasMade() {
        Processes.run("ip", "netns", "del", LabNetwork.NAMESPACE);
        Processes.run("ip", "link", "del", LabNetwork.STACK_DEVICE);
        Processes.run("ip", "link", "del", LabNetwork.TAP_DEVICE);
    }

    @Test
    void upMakesAVethWithTheKernelSideAddressedInItsNamespaceAndDownRemovesIt() {
        CommandRun up = CommandRun.of("labnet", "up");
        assertThat(up.exitCode()).as(up.err()).isZero();
        assertThat(up.out()).contains("serve --interface-name sl-stack --ip 10.99.0.2/24", "ip netns exec stacklab ping 10.99.0.2");

        assertThat(Processes.check("ip", "-4", "addr", "show", LabNetwork.STACK_DEVICE)).doesNotContain("inet ");
        assertThat(Processes.check("ip", "-n", LabNetwork.NAMESPACE, "-4", "addr", "show", LabNetwork.KERNEL_DEVICE))
                .contains("inet 10.99.0.1/24").contains("UP");
        assertThat(Processes.check("ip", "netns", "exec", LabNetwork.NAMESPACE, "ethtool", "-k", LabNetwork.KERNEL_DEVICE))
                .contains("tx-checksumming: off").contains("tcp-segmentation-offload: off").contains("generic-segmentation-offload: off");
        assertThat(CommandRun.of("labnet", "status").out()).startsWith("lab network up.");

        CommandRun again = CommandRun.of("labnet", "up");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err().lines()).singleElement().asString().contains("already up");

        assertThat(CommandRun.of("labnet", "down").out()).contains("removed");
        assertThat(LabNetwork.status()).isEqualTo(new LabNetwork.Status(false, false, false));
        assertThat(CommandRun.of("labnet", "down").out()).contains("no lab network");
    }

    @Test
    void upTapMakesATapDeviceWithTheKernelAddress() {
        CommandRun up = CommandRun.of("labnet", "up", "--tap");
        assertThat(up.exitCode()).as(up.err()).isZero();
        assertThat(Processes.check("ip", "-d", "link", "show", LabNetwork.TAP_DEVICE)).contains("tun type tap");
        assertThat(Processes.check("ip", "-4", "addr", "show", LabNetwork.TAP_DEVICE)).contains("inet 10.99.1.1/24");
        assertThat(CommandRun.of("labnet", "down", "--tap").out()).contains("removed");
        assertThat(LabNetwork.status().tapExists()).isFalse();
    }
}
