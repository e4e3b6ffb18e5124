package dev.stacklab.app.network;

import dev.stacklab.app.Notifier;
import dev.stacklab.runtime.InterfaceSession.OurHostSettings;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Our host's settings on a real interface or TAP device, chosen before it starts there: IP/prefix, gateway, MAC.
 * Validates as the user types (one message, naming the field), and proposes a free address on the interface's
 * subnet after RFC 5227 probes (which take 4 to 7 seconds, off the FX thread).
 */
public final class OurHostSettingsViewModel {
    private final NetworkEnvironment environment;
    private final Notifier notifier;
    private final Executor fxExecutor;
    private final StringProperty address = new SimpleStringProperty(this, "address", "");
    private final StringProperty gateway = new SimpleStringProperty(this, "gateway", "");
    private final StringProperty mac = new SimpleStringProperty(this, "mac", "");
    private final ReadOnlyStringWrapper validationMessage = new ReadOnlyStringWrapper(this, "validationMessage", "");
    private final ReadOnlyBooleanWrapper valid = new ReadOnlyBooleanWrapper(this, "valid");
    private final ReadOnlyBooleanWrapper proposing = new ReadOnlyBooleanWrapper(this, "proposing");
    private final ReadOnlyStringWrapper proposalStatus = new ReadOnlyStringWrapper(this, "proposalStatus", "");
    private final ReadOnlyStringWrapper interfaceDescription = new ReadOnlyStringWrapper(this, "interfaceDescription", "");
    private NetworkChoice choice;
    /** Counts proposals, so that one finishing after the user picked another interface is ignored. */
    private int proposalGeneration;

    OurHostSettingsViewModel(NetworkEnvironment environment, Notifier notifier, Executor fxExecutor) {
        this.environment = environment;
        this.notifier = notifier;
        this.fxExecutor = fxExecutor;
        address.addListener((property, before, after) -> validate());
        gateway.addListener((property, before, after) -> validate());
        mac.addListener((property, before, after) -> validate());
        validate();
    }

    public StringProperty addressProperty() {
        return address;
    }

    public StringProperty gatewayProperty() {
        return gateway;
    }

    /** Empty for the interface's own MAC (a TAP device: a random locally administered one). */
    public StringProperty macProperty() {
        return mac;
    }

    /** Empty when the settings are valid; else one line naming the field and what is wrong. */
    public ReadOnlyStringProperty validationMessageProperty() {
        return validationMessage.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty validProperty() {
        return valid.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty proposingProperty() {
        return proposing.getReadOnlyProperty();
    }

    /** "Probing 4 addresses on 192.168.1.0/24 (RFC 5227, up to 7 s)…", "Proposed 192.168.1.77: nobody answered for it". */
    public ReadOnlyStringProperty proposalStatusProperty() {
        return proposalStatus.getReadOnlyProperty();
    }

    /** "eth0: 192.168.1.20/24 (the kernel's), MAC 52:54:00:12:34:56". */
    public ReadOnlyStringProperty interfaceDescriptionProperty() {
        return interfaceDescription.getReadOnlyProperty();
    }

    /**
     * Prepares the fields for {@code newChoice}: keeps what the user typed for the same interface, else suggests a
     * gateway (the interface's default route, or a TAP device's kernel address) and leaves the address to a
     * proposal.
     */
    void prepareFor(NetworkChoice newChoice) {
        if (choice != null && choice.id().equals(newChoice.id())) {
            return;
        }
        choice = newChoice;
        proposalGeneration++;
        proposing.set(false);
        proposalStatus.set("");
        address.set("");
        mac.set("");
        List<Ipv4Cidr> own = newChoice.addresses();
        Optional<Ipv4Address> defaultGateway = environment.defaultGateway(newChoice.interfaceName());
        if (defaultGateway.isPresent()) {
            gateway.set(defaultGateway.get().toString());
        } else if (newChoice.kind() == NetworkChoice.Kind.TAP && !own.isEmpty()) {
            gateway.set(own.get(0).address().toString());
        } else {
            gateway.set("");
        }
        interfaceDescription.set(newChoice.interfaceName() + ": " + (own.isEmpty() ? "no IPv4 address"
                : String.join(", ", own.stream().map(Ipv4Cidr::toString).toList()) + " (the kernel's)"));
        validate();
    }

    /** Proposes a free address on the interface's first subnet (RFC 5227 probes, 4 to 7 s). */
    public void proposeFreeAddress() {
        if (choice == null || proposing.get()) {
            return;
        }
        if (choice.addresses().isEmpty()) {
            proposalStatus.set(choice.interfaceName() + " has no IPv4 subnet to choose from: type an address with its prefix, e.g. 10.0.0.2/24");
            return;
        }
        Ipv4Cidr subnet = choice.addresses().get(0);
        List<Ipv4Address> avoid = new ArrayList<>();
        choice.addresses().forEach(own -> avoid.add(own.address()));
        parseGateway().ifPresent(avoid::add);
        int generation = ++proposalGeneration;
        proposing.set(true);
        proposalStatus.set("Probing addresses on " + subnet.network() + "/" + subnet.prefixLength()
                + " (RFC 5227: up to 7 s)…");
        environment.proposeFreeAddress(choice, subnet, avoid).whenComplete((proposal, failure) -> fxExecutor.execute(() -> {
            if (generation != proposalGeneration) {
                return;
            }
            proposing.set(false);
            if (failure != null) {
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                proposalStatus.set("Could not probe: " + cause.getMessage());
                NetworkErrors.report(notifier, "Cannot probe for a free address on " + choice.interfaceName(), cause);
            } else if (proposal.isPresent()) {
                address.set(proposal.get() + "/" + subnet.prefixLength());
                proposalStatus.set("Proposed " + proposal.get() + ": nobody answered ARP probes for it");
            } else {
                proposalStatus.set("Every address probed is in use: type one, it is probed again on Start");
            }
        }));
    }

    private Optional<Ipv4Address> parseGateway() {
        try {
            return gateway.get().isBlank() ? Optional.empty() : Optional.of(Ipv4Address.parse(gateway.get().strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private void validate() {
        String message;
        try {
            settings();
            message = "";
        } catch (IllegalArgumentException e) {
            message = e.getMessage();
        }
        validationMessage.set(message);
        valid.set(message.isEmpty());
    }

    /**
     * The settings as typed.
     *
     * @throws IllegalArgumentException naming the field and what is wrong with it
     */
    public OurHostSettings settings() {
        String addressText = address.get().strip();
        if (addressText.isEmpty()) {
            throw new IllegalArgumentException("IP address: give our host an address with its prefix, e.g. 192.168.1.77/24 (Propose finds a free one)");
        }
        Ipv4Cidr cidr;
        try {
            cidr = Ipv4Cidr.parse(addressText.contains("/") ? addressText : addressText + "/24");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("IP address: " + e.getMessage());
        }
        if (cidr.prefixLength() < 32 && (cidr.address().equals(cidr.network()) || cidr.address().equals(cidr.broadcast()))) {
            throw new IllegalArgumentException("IP address: " + cidr.address() + " is the subnet's "
                    + (cidr.address().equals(cidr.network()) ? "network" : "broadcast") + " address, not a host's");
        }
        if (choice != null && choice.addresses().stream().anyMatch(own -> own.address().equals(cidr.address()))) {
            throw new IllegalArgumentException("IP address: " + cidr.address() + " is the kernel's own address on "
                    + choice.interfaceName() + "; our host needs one of its own");
        }
        Ipv4Address gatewayAddress = null;
        String gatewayText = gateway.get().strip();
        if (!gatewayText.isEmpty()) {
            try {
                gatewayAddress = Ipv4Address.parse(gatewayText);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Gateway: " + e.getMessage());
            }
            if (!cidr.contains(gatewayAddress)) {
                throw new IllegalArgumentException("Gateway: " + gatewayAddress + " is not on our subnet " + cidr.network()
                        + "/" + cidr.prefixLength());
            }
        }
        MacAddress macAddress = null;
        String macText = mac.get().strip();
        if (!macText.isEmpty()) {
            try {
                macAddress = MacAddress.parse(macText);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("MAC: " + e.getMessage());
            }
            if (!macAddress.isUnicast() || macAddress.equals(MacAddress.ZERO)) {
                throw new IllegalArgumentException("MAC: " + macAddress + " is not a unicast station address (the first octet must be even)");
            }
        }
        return new OurHostSettings(cidr, gatewayAddress, macAddress);
    }
}
