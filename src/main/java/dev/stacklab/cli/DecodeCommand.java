package dev.stacklab.cli;

import dev.stacklab.capture.CaptureFormatException;
import dev.stacklab.capture.CaptureInterface;
import dev.stacklab.capture.CaptureReader;
import dev.stacklab.capture.LinkType;
import dev.stacklab.capture.PacketBlockOptions;
import dev.stacklab.capture.SampleCapture;
import dev.stacklab.dissect.CaptureStatistics;
import dev.stacklab.dissect.ConversationType;
import dev.stacklab.dissect.DisplayFilter;
import dev.stacklab.dissect.DisplayFilterException;
import dev.stacklab.dissect.Dissector;
import dev.stacklab.dissect.FieldNode;
import dev.stacklab.dissect.FrameSummary;
import dev.stacklab.dissect.FrameInterface;
import dev.stacklab.dissect.FrameOptions;
import dev.stacklab.dissect.FrameTree;
import dev.stacklab.dissect.HexDump;
import dev.stacklab.dissect.StreamFollower;
import dev.stacklab.dissect.SummaryLine;
import dev.stacklab.dissect.TsharkStatisticsText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code stacklab decode FILE}: what {@code tshark -r FILE} does, for the protocols stacklab knows.
 * One summary line per frame by default, the full tree with {@code -V}, and with {@code --json} one
 * object per frame mapping every field to its value as {@code tshark -T fields} prints it, which is
 * how the decoder is held against tshark.
 */
@Command(name = "decode", sortOptions = false,
        description = {"Decode a pcap or pcapng capture, like tshark -r.",
                "Prints one summary line per frame; -V prints every layer's fields."})
final class DecodeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "0..1", description = "pcap or pcapng file (Ethernet, Linux cooked v1/v2 or raw IPv4 link types); - reads standard input, as tshark -r - does")
    Path file;

    @Option(names = "--sample", description = "decode stacklab's own sample capture (" + SampleCapture.NAME + ": real kernel traffic) instead of FILE")
    boolean sample;

    @Option(names = "-V", description = "print the full tree of every frame, like tshark -V")
    boolean verbose;

    @Option(names = "-Y", paramLabel = "FILTER", description = "only frames matching this display filter, e.g. \"tcp.flags.syn == 1 && ip.addr == 10.0.0.2\"")
    String filterText;

    @Option(names = "-c", paramLabel = "N", description = "read only the first N frames")
    Long frameLimit;

    @Option(names = "--json", description = "one JSON object per frame: field name -> value as tshark -T fields prints it")
    boolean json;

    @Option(names = "-z", paramLabel = "STATISTIC", description = {"after the frames, a statistic as tshark -z prints it",
            "(repeatable; printed last first, as tshark does):",
            "conv,TYPE: conversations (TYPE eth, ip, ipv6, tcp or udp)",
            "endpoints,TYPE: endpoints, with what each sent and received",
            "io,phs: the protocol hierarchy",
            "expert: the expert information, by severity",
            "io,stat,INTERVAL[,FILTER]...: frames and bytes per",
            "INTERVAL seconds (0: the whole capture), one column",
            "per display filter (none: every frame)",
            "follow,tcp,ascii,N (or udp): what stream N carried (N as in",
            "tcp.stream or udp.stream)"})
    List<String> statistics = new ArrayList<>();

    @Option(names = "-q", description = "print no frames, only what -z asks for (as tshark -q)")
    boolean quiet;

    /** What -z accepts: tshark's follow statistic in ASCII, conversations, endpoints, the protocol hierarchy and the expert information. */
    private static final Pattern FOLLOW = Pattern.compile("follow,(tcp|udp),ascii,(\\d{1,9})");
    private static final Pattern TABLE = Pattern.compile("(conv|endpoints),(eth|ip|ipv6|tcp|udp)");

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (frameLimit != null && frameLimit < 0) {
            err.println("decode: -c must be zero or more, not " + frameLimit);
            return 2;
        }
        DisplayFilter filter = null;
        if (filterText != null) {
            try {
                filter = DisplayFilter.compile(filterText);
            } catch (DisplayFilterException e) {
                err.println("decode: bad display filter \"" + filterText + "\": " + e.getMessage());
                return 2;
            }
        }
        List<StreamFollower> followers = new ArrayList<>();
        // One per -z, in order: a StreamFollower, or the text of a statistic of the CaptureStatistics.
        List<Object> outputs = new ArrayList<>();
        CaptureStatistics captureStatistics = null;
        List<IoStatTable> ioTables = new ArrayList<>();
        for (String statistic : statistics) {
            if (IoStatTable.isIoStat(statistic)) {
                try {
                    IoStatTable table = IoStatTable.parse(statistic);
                    ioTables.add(table);
                    outputs.add(table);
                } catch (IllegalArgumentException e) {
                    err.println("decode: " + e.getMessage());
                    return 2;
                }
                continue;
            }
            Matcher follow = FOLLOW.matcher(statistic);
            if (follow.matches()) {
                StreamFollower follower = new StreamFollower(StreamFollower.Protocol.valueOf(follow.group(1).toUpperCase(Locale.ROOT)),
                        Long.parseLong(follow.group(2)));
                followers.add(follower);
                outputs.add(follower);
                continue;
            }
            if (!TABLE.matcher(statistic).matches() && !statistic.equals("io,phs") && !statistic.equals("expert")) {
                err.println("decode: -z " + statistic + " is not a statistic stacklab has; it has conv,TYPE, endpoints,TYPE (TYPE eth, ip, "
                        + "ipv6, tcp or udp), io,phs, io,stat,INTERVAL[,FILTER]..., expert, follow,tcp,ascii,N and follow,udp,ascii,N (see " + Main.invocation(spec) + " --help)");
                return 2;
            }
            outputs.add(statistic);
            if (captureStatistics == null) {
                captureStatistics = new CaptureStatistics();
            }
        }
        if (sample == (file != null)) {
            err.println(sample ? "decode: give FILE or --sample, not both"
                    : "decode: missing FILE (or --sample for stacklab's sample capture; see " + Main.invocation(spec) + " --help)");
            return 2;
        }
        if (sample) {
            file = Path.of(SampleCapture.NAME);
        }
        CaptureReader reader;
        try {
            reader = open();
        } catch (NoSuchFileException e) {
            err.println("decode: cannot open '" + file + "': no such file");
            return 2;
        } catch (AccessDeniedException e) {
            err.println("decode: cannot open '" + file + "': permission denied");
            return 2;
        } catch (CaptureFormatException e) {
            err.println("decode: '" + file + "' is not a capture stacklab can read: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("decode: cannot read '" + file + "': " + (Files.isDirectory(file) ? "it is a directory" : e.getMessage()));
            return 2;
        }
        FramePrinter printer = new FramePrinter(Utf8Lines.to(spec.commandLine().getOut()));
        try (reader) {
            int exitCode = decode(reader, filter, followers, captureStatistics, ioTables, printer, err);
            if (exitCode == 0) {
                // tshark draws its taps last registered first.
                for (int i = outputs.size() - 1; i >= 0; i--) {
                    printer.text(outputs.get(i) instanceof StreamFollower follower ? StreamFollower.asTsharkAscii(follower.result())
                            : outputs.get(i) instanceof IoStatTable table ? table.tsharkText()
                            : statisticText((String) outputs.get(i), captureStatistics));
                }
            }
            printer.flush();
            if (printer.failure() != null) {
                err.println("decode: cannot write the output: " + printer.failure().getMessage());
                return 2;
            }
            return exitCode;
        } finally {
            printer.flush();
        }
    }

    /** The text tshark prints for {@code -z statistic} (one of conv, endpoints, io,phs, expert). */
    private static String statisticText(String statistic, CaptureStatistics captureStatistics) {
        if (statistic.equals("io,phs")) {
            return TsharkStatisticsText.protocolHierarchy(captureStatistics.protocolHierarchy());
        }
        if (statistic.equals("expert")) {
            return TsharkStatisticsText.expert(captureStatistics.expertItems());
        }
        int comma = statistic.indexOf(',');
        ConversationType type = ConversationType.byFilterName(statistic.substring(comma + 1));
        return statistic.startsWith("conv,") ? TsharkStatisticsText.conversations(type, captureStatistics.conversations(type))
                : TsharkStatisticsText.endpoints(type, captureStatistics.endpoints(type));
    }

    /** The capture named on the command line: a file, standard input ({@code -}), or the sample that ships inside stacklab. */
    private CaptureReader open() throws IOException {
        if (sample) {
            return CaptureReader.open(SampleCapture.open());
        }
        if (file.toString().equals("-")) {
            return CaptureReader.open(System.in);
        }
        return CaptureReader.open(file);
    }

    private int decode(CaptureReader reader, DisplayFilter filter, List<StreamFollower> followers, CaptureStatistics captureStatistics,
            List<IoStatTable> ioTables, FramePrinter printer, PrintWriter err) throws IOException {
        Dissector dissector = new Dissector();
        boolean needTree = verbose || json || filter != null || !followers.isEmpty() || captureStatistics != null
                || !ioTables.isEmpty();
        long read = 0;
        try {
            // A closed output (decode ... | head) ends the decoding: nobody reads the rest.
            while ((frameLimit == null || read < frameLimit) && printer.failure() == null && reader.next()) {
                read++;
                if (!Dissector.readsLinkType(reader.linkType())) {
                    printer.flush();
                    err.println("decode: frame " + read + " of '" + file + "' has link type " + LinkType.name(reader.linkType())
                            + "; stacklab decodes Ethernet (" + LinkType.ETHERNET + "), Linux cooked captures (" + LinkType.LINUX_SLL
                            + ", " + LinkType.LINUX_SLL2 + ") and raw IPv4 (" + LinkType.RAW + ", " + LinkType.IPV4 + ")");
                    return 2;
                }
                dissector.linkType(reader.linkType());
                dissector.timestampPrecision(reader.timestampPrecision());
                if (!needTree) {
                    if (quiet) {
                        dissector.advance(reader.timestampNanos(), reader.data(), reader.capturedLength(), reader.originalLength());
                    } else {
                        printer.summaryLine(dissector, reader);
                    }
                    continue;
                }
                CaptureInterface captured = reader.captureInterface();
                PacketBlockOptions options = reader.packetOptions();
                FrameTree tree = dissector.dissect(reader.timestampNanos(), reader.data(), reader.capturedLength(),
                        reader.originalLength(), captured == null ? null
                                : new FrameInterface(captured.sectionNumber(), captured.id(), captured.name(), captured.description()),
                        options == null ? null : new FrameOptions(options.flags(), options.dropCount(), options.packetId(),
                                options.queue(), options.comments(), options.problems()));
                // The follow statistics see every frame, as tshark's taps do whatever -Y shows.
                for (StreamFollower follower : followers) {
                    if (StreamFollower.streamOf(tree, follower.protocol()) == follower.stream()) {
                        follower.add((int) read, tree);
                    }
                }
                if (captureStatistics != null) {
                    captureStatistics.add((int) read, reader.timestampNanos(), tree);
                }
                for (IoStatTable table : ioTables) {
                    try {
                        table.add(reader.timestampNanos(), tree);
                    } catch (IllegalArgumentException e) {
                        printer.flush();
                        err.println("decode: -z io,stat: " + e.getMessage());
                        return 2;
                    }
                }
                if (filter != null && !filter.matches(tree)) {
                    dissector.frameFilteredOut();
                    continue;
                }
                if (quiet) {
                    continue;
                }
                if (json) {
                    printer.json(tree);
                } else if (verbose) {
                    printer.tree(tree);
                } else {
                    printer.summaryLine(tree.summary());
                }
            }
        } catch (CaptureFormatException e) {
            printer.flush();
            err.println("decode: '" + file + "' is damaged after frame " + read + ": " + e.getMessage());
            return 2;
        }
        return 0;
    }

    /** The three output formats, written through one buffer of UTF-8 lines. */
    static final class FramePrinter {
        private final Utf8Lines out;
        private final StringBuilder line = new StringBuilder(256);
        /** Writes the summary lines on a second thread; started by the first summary line, ended by {@link #flush()}. */
        private SummaryLineThread lines;

        FramePrinter(Utf8Lines out) {
            this.out = out;
        }

        /** Writes out every line printed so far (waiting for the summary line thread to write its last). */
        void flush() {
            if (lines != null) {
                lines.finish();
                lines = null;
            }
            out.flush();
        }

        IOException failure() {
            return out.failure();
        }

        /**
         * The summary line of the frame {@code reader} is at: dissected here into the columns of a batch of frames,
         * written as UTF-8 by the summary line thread while the next frames are dissected.
         */
        void summaryLine(Dissector dissector, CaptureReader reader) {
            if (lines == null) {
                lines = new SummaryLineThread(out);
            }
            dissector.summarizeInto(reader.timestampNanos(), reader.data(), reader.capturedLength(), reader.originalLength(),
                    lines.batch());
        }

        /** Text of several lines, each written as a line (the last line break included in the text). */
        void text(String text) {
            int start = 0;
            for (int end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
                out.line(text.substring(start, end));
                start = end + 1;
            }
            if (start < text.length()) {
                out.line(text.substring(start));
            }
        }

        /** tshark's default line: number, relative time, source, arrow, destination, protocol, length, info. */
        void summaryLine(FrameSummary summary) {
            line.setLength(0);
            out.line(SummaryLine.appendTo(line, summary));
        }

        /** tshark -V: each visible node on its own line, four spaces per level, a blank line after each frame. */
        void tree(FrameTree tree) {
            for (FieldNode layer : tree.layers()) {
                printNode(tree, layer, 0);
            }
            out.line("");
        }

        private void printNode(FrameTree tree, FieldNode node, int depth) {
            if (node.isHidden()) {
                return;
            }
            line.setLength(0);
            line.append(" ".repeat(depth * 4)).append(node.displayLine());
            out.line(line);
            if (node.name().equals("data")) {
                // tshark -V dumps undissected data in hex under its heading, since -x is not printing the frame.
                FrameTree.DataSource source = tree.dataSources().get(node.dataSource());
                out.line("");
                int length = Math.min(node.length(), source.length() - node.offset());
                for (int row = 0; row < HexDump.rowCount(length); row++) {
                    line.setLength(0);
                    out.line(HexDump.appendRow(line, source, node.offset(), length, row));
                }
            }
            for (FieldNode child : node.children()) {
                printNode(tree, child, depth + 1);
            }
        }

        /** One JSON object per frame: every field with a value, repeated fields joined with commas as tshark does. */
        void json(FrameTree tree) {
            Map<String, StringBuilder> values = new LinkedHashMap<>();
            tree.forEachField(node -> {
                String value = node.fieldValue();
                if (value != null) {
                    StringBuilder joined = values.get(node.name());
                    if (joined == null) {
                        values.put(node.name(), new StringBuilder(value));
                    } else {
                        joined.append(',').append(value);
                    }
                }
            });
            line.setLength(0);
            line.append('{');
            boolean first = true;
            for (var entry : values.entrySet()) {
                if (!first) {
                    line.append(',');
                }
                first = false;
                JsonText.appendString(line, entry.getKey());
                line.append(':');
                JsonText.appendString(line, entry.getValue());
            }
            line.append('}');
            out.line(line);
        }
    }
}
