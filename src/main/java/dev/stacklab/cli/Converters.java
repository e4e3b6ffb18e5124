package dev.stacklab.cli;

import dev.stacklab.stack.PathMtuDiscovery;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Flag values to addresses and choices. Picocli turns the exception into one line naming the flag, and the
 * message here quotes the value and shows a good one: "Invalid value for option '--ip': '10.0.0.300/24' is not...".
 */
final class Converters {
    private Converters() {
    }

    static final class Ipv4Converter implements ITypeConverter<Ipv4Address> {
        @Override
        public Ipv4Address convert(String value) {
            try {
                return Ipv4Address.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class CidrConverter implements ITypeConverter<Ipv4Cidr> {
        @Override
        public Ipv4Cidr convert(String value) {
            try {
                return Ipv4Cidr.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class MacConverter implements ITypeConverter<MacAddress> {
        @Override
        public MacAddress convert(String value) {
            try {
                return MacAddress.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** iputils ping's {@code -M} words, lower case: do, want, dont. */
    static final class PathMtuDiscoveryConverter implements ITypeConverter<PathMtuDiscovery> {
        @Override
        public PathMtuDiscovery convert(String value) {
            for (PathMtuDiscovery choice : PathMtuDiscovery.values()) {
                if (flagWord(choice).equals(value)) {
                    return choice;
                }
            }
            throw new TypeConversionException("'" + value + "' is not one of "
                    + Arrays.stream(PathMtuDiscovery.values()).map(Converters::flagWord).collect(Collectors.joining(", ")));
        }
    }

    private static String flagWord(PathMtuDiscovery choice) {
        return choice.name().toLowerCase(Locale.ROOT);
    }
}
