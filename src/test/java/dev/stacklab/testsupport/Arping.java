package dev.stacklab.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code arping} on this machine, whichever it is: Debian ships two programs of that name, iputils'
 * (package iputils-arping, what .ci/run installs) and Thomas Habets' ARPing (package arping). Their options and
 * output differ; tests build their command lines and count the replies here, so they pass with either.
 */
public final class Arping {
    /** Which program {@code arping} is. */
    public enum Flavour { IPUTILS, HABETS }

    private static volatile Flavour installed;

    private Arping() {
    }

    /** The installed arping (after {@link Prerequisites#requireCommand} has found one). */
    public static Flavour installed() {
        Flavour known = installed;
        if (known == null) {
            // Habets' arping answers --help with its name; iputils' rejects the option and prints its usage.
            Processes.Result help = Processes.run(List.of("arping", "--help"), 10);
            known = (help.stdout() + help.stderr()).contains("Habets") ? Flavour.HABETS : Flavour.IPUTILS;
            installed = known;
        }
        return known;
    }

    /** {@code count} ARP requests for {@code target} out of {@code device}, ending after {@code deadlineSeconds} at most. */
    public static List<String> requests(String device, String target, int count, int deadlineSeconds) {
        return command(device, target, count, deadlineSeconds, false);
    }

    /**
     * {@code count} ARP probes (RFC 5227: sender address 0.0.0.0, as duplicate address detection sends) for
     * {@code target} out of {@code device}, ending after {@code deadlineSeconds} at most.
     */
    public static List<String> probes(String device, String target, int count, int deadlineSeconds) {
        return command(device, target, count, deadlineSeconds, true);
    }

    private static List<String> command(String device, String target, int count, int deadlineSeconds, boolean probe) {
        List<String> command = new ArrayList<>(List.of("arping", "-c", Integer.toString(count), "-w", Integer.toString(deadlineSeconds)));
        if (installed() == Flavour.HABETS) {
            // -0: sender address 0.0.0.0 (Habets' -D is a display mode, not duplicate address detection).
            command.addAll(List.of("-i", device));
            if (probe) {
                command.add("-0");
            }
        } else {
            command.addAll(List.of("-I", device));
            if (probe) {
                command.add("-D");
            }
        }
        command.add(target);
        return command;
    }

    // iputils: "Received 2 response(s)"; Habets: "2 packets transmitted, 2 packets received,   0% unanswered".
    private static final Pattern IPUTILS_REPLIES = Pattern.compile("^Received (\\d+) response\\(s\\)", Pattern.MULTILINE);
    private static final Pattern HABETS_REPLIES = Pattern.compile("^\\d+ packets transmitted, (\\d+) packets received", Pattern.MULTILINE);

    /** The replies either arping reports in its closing statistics; IllegalStateException if the output has none. */
    public static int replies(Processes.Result run) {
        for (Pattern pattern : List.of(IPUTILS_REPLIES, HABETS_REPLIES)) {
            Matcher matcher = pattern.matcher(run.stdout());
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
        }
        throw new IllegalStateException("arping printed no statistics (exit " + run.exitCode() + "): " + run.stdout().strip()
                + " " + run.stderr().strip());
    }
}
