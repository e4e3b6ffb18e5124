package dev.stacklab.app.network;

import dev.stacklab.runtime.InterfaceSession.OurHostSettings;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Our host's settings as typed: each mistake named with its field; proposals land in the address field. */
class OurHostSettingsViewModelTest {
    private final CollectingNotifier notifier = new CollectingNotifier();
    private final FxQueue fx = new FxQueue();
    private final CompletableFuture<Optional<Ipv4Address>> proposal = new CompletableFuture<>();
    private final OurHostSettingsViewModel viewModel = new OurHostSettingsViewModel(new TestEnvironment(true) {
        @Override
        public CompletableFuture<Optional<Ipv4Address>> proposeFreeAddress(NetworkChoice choice, Ipv4Cidr subnet,
                Collection<Ipv4Address> avoid) {
            assertThat(avoid).contains(Ipv4Address.parse("192.168.1.20"), Ipv4Address.parse("192.168.1.1"));
            return proposal;
        }
    }, notifier, fx);

    @BeforeEach
    void chooseEth0() throws InterruptedException {
        NetworkBarViewModel bar = new NetworkBarViewModel(notifier, new TestEnvironment(true), fx);
        try {
            bar.begin("interface:eth0");
            fx.runUntil(() -> !bar.listingProperty().get(), "the networks listed");
            viewModel.prepareFor(bar.choices().stream().filter(choice -> choice.id().equals("interface:eth0")).findFirst().orElseThrow());
        } finally {
            bar.shutdown();
        }
    }

    private String messageFor(String address, String gateway, String mac) {
        viewModel.addressProperty().set(address);
        viewModel.gatewayProperty().set(gateway);
        viewModel.macProperty().set(mac);
        return viewModel.validationMessageProperty().get();
    }

    @Test
    void eachMistakeIsNamedWithItsField() {
        assertThat(messageFor("", "", "")).startsWith("IP address: give our host an address");
        assertThat(messageFor("192.168.1.300/24", "", "")).startsWith("IP address: '192.168.1.300/24' is not an address");
        assertThat(messageFor("192.168.1.20/24", "", "")).isEqualTo(
                "IP address: 192.168.1.20 is the kernel's own address on eth0; our host needs one of its own");
        assertThat(messageFor("192.168.1.255/24", "", "")).isEqualTo(
                "IP address: 192.168.1.255 is the subnet's broadcast address, not a host's");
        assertThat(messageFor("192.168.1.77/24", "10.0.0.1", "")).isEqualTo("Gateway: 10.0.0.1 is not on our subnet 192.168.1.0/24");
        assertThat(messageFor("192.168.1.77/24", "192.168.1.1", "01:00:5e:00:00:01")).startsWith("MAC: 01:00:5e:00:00:01 is not a unicast");
        assertThat(messageFor("192.168.1.77/24", "192.168.1.1", "zz")).startsWith("MAC: ");
        assertThat(viewModel.validProperty().get()).isFalse();
    }

    @Test
    void validSettingsBecomeOurHostsSettings() {
        assertThat(messageFor("192.168.1.77/24", "192.168.1.1", "02:00:00:aa:bb:cc")).isEmpty();

        assertThat(viewModel.validProperty().get()).isTrue();
        assertThat(viewModel.settings()).isEqualTo(new OurHostSettings(Ipv4Cidr.parse("192.168.1.77/24"),
                Ipv4Address.parse("192.168.1.1"), MacAddress.parse("02:00:00:aa:bb:cc")));
        // No prefix typed: /24, the usual LAN.
        messageFor("192.168.1.78", "", "");
        assertThat(viewModel.settings().address()).isEqualTo(Ipv4Cidr.parse("192.168.1.78/24"));
    }

    @Test
    void aProposedAddressFillsTheFieldWithTheSubnetsPrefix() throws Exception {
        viewModel.proposeFreeAddress();
        assertThat(viewModel.proposingProperty().get()).isTrue();
        assertThat(viewModel.proposalStatusProperty().get()).startsWith("Probing addresses on 192.168.1.0/24");

        proposal.complete(Optional.of(Ipv4Address.parse("192.168.1.123")));
        fx.runUntil(() -> !viewModel.proposingProperty().get(), "the proposal");

        assertThat(viewModel.addressProperty().get()).isEqualTo("192.168.1.123/24");
        assertThat(viewModel.proposalStatusProperty().get()).isEqualTo("Proposed 192.168.1.123: nobody answered ARP probes for it");
        assertThat(viewModel.validProperty().get()).isTrue();
    }

    @Test
    void aFailedProposalIsANotification() throws Exception {
        viewModel.proposeFreeAddress();
        proposal.completeExceptionally(new dev.stacklab.link.LinkException("no interface named 'eth0'; interfaces here: lo"));
        fx.runUntil(() -> !viewModel.proposingProperty().get(), "the proposal");

        assertThat(notifier.errors).singleElement().satisfies(error -> {
            assertThat(error.problem()).isEqualTo("Cannot probe for a free address on eth0: no interface named 'eth0'");
            assertThat(error.fix()).isEqualTo("Interfaces here: lo");
        });
    }
}
