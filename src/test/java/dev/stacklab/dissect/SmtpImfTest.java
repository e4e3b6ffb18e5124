package dev.stacklab.dissect;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SMTP's message put together from its DATA fragments and shown as IMF (RFC 5322): header fields with their address
 * items, folded and unknown fields, the body's lines; messages cut short or without headers are shown as far as they
 * go, never an exception. smtp.pcap's message is held to tshark by RealCapturesAgainstTsharkTest.
 */
class SmtpImfTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void aMessageInTwoFragmentsIsPutTogetherAndShownAsImf() {
        List<FrameTree> trees = converse("From: Alice Example <alice@example.org>\r\nTo: bob@example.org, Carol <carol@example.org>\r\n",
                "Subject: a subject\r\n folded\r\nX-Custom: yes\r\n\r\nLine one.\r\nLine two.\r\n", ".\r\n");
        FrameTree end = trees.get(trees.size() - 1);
        assertThat(end.summary().protocol()).isEqualTo("SMTP/IMF");
        assertThat(end.summary().info()).isEqualTo("from: Alice Example <alice@example.org>, subject: a subject\\r\\n folded, , Line one.  , Line two.  ");
        assertThat(end.find("smtp.eom").displayLine()).isEqualTo("C: .");
        assertThat(end.find("smtp.data.fragments").displayLine()).isEqualTo("[2 DATA fragments (157 bytes): #3(89), #4(68)]");
        assertThat(end.fieldValues("smtp.data.fragment")).isEqualTo("3,4");
        assertThat(end.fieldValues("imf.display_name")).isEqualTo("Alice Example,Carol");
        assertThat(end.fieldValues("imf.address")).isEqualTo("alice@example.org,bob@example.org,carol@example.org");
        assertThat(end.find("imf.to").displayLine()).isEqualTo("To: bob@example.org, Carol <carol@example.org>, 2 items");
        assertThat(end.fieldValues("imf.address_list.item")).isEqualTo("bob@example.org, Carol <carol@example.org>\\r\\n");
        assertThat(end.fieldValues("imf.extension.type")).isEqualTo("X-Custom");
        assertThat(end.fieldValues("imf.extension.value")).isEqualTo("yes");
        List<String> body = new ArrayList<>();
        end.find("imf.message_text").children().forEach(line -> body.add(line.displayLine()));
        assertThat(body).containsExactly("Line one.  ", "Line two.  ");
        // The frames before the end are DATA fragments, as tshark shows them.
        assertThat(trees.get(trees.size() - 2).summary().info()).isEqualTo("C: DATA fragment, 68 bytes");
        // The reassembled message is a data source of its own, which every IMF node points into.
        assertThat(end.dataSources()).hasSize(2);
        assertThat(end.find("imf").dataSource()).isEqualTo(1);
    }

    @Test
    void aMessageWithoutHeadersOrBlankLineIsAllTextOrAllHeaders() {
        FrameTree bodyOnly = last(converse("just text, no header\r\n.\r\n"));
        assertThat(bodyOnly.summary().info()).isEqualTo("just text, no header  ");
        assertThat(bodyOnly.fieldValues("imf.from")).isEmpty();
        FrameTree headersOnly = last(converse("Subject: only this\r\n", ".\r\n"));
        assertThat(headersOnly.summary().info()).isEqualTo("subject: only this, ");
        assertThat(headersOnly.find("imf.message_text").length()).isZero();
    }

    @Test
    void everyCutOfAMessageDissectsWithoutException() {
        String message = "From: \"Quoted, Name\" <a@b>\r\nTo: <c@d>,\r\n\te@f\r\nSubject:\r\nX:\r\n\r\nbody\r\n";
        for (int cut = 0; cut <= message.length(); cut++) {
            for (FrameTree tree : converse(message.substring(0, cut), ".\r\n")) {
                tree.forEachField(node -> {
                    assertThat(node.displayLine()).doesNotContain("dissector failure");
                    assertThat(node.offset() + node.length()).isLessThanOrEqualTo(tree.dataSources().get(node.dataSource()).length());
                });
            }
        }
    }

    private static FrameTree last(List<FrameTree> trees) {
        return trees.get(trees.size() - 1);
    }

    /** DATA and its 354, then each piece of the message as one client segment, through one dissector. */
    private static List<FrameTree> converse(String... pieces) {
        Dissector dissector = new Dissector();
        List<FrameTree> trees = new ArrayList<>();
        long[] sequence = {1000, 5000};
        trees.add(segment(dissector, false, sequence, "DATA\r\n", 1));
        trees.add(segment(dissector, true, sequence, "354 End data with <CR><LF>.<CR><LF>\r\n", 2));
        trees.clear();
        int frameNumber = 2;
        for (String piece : pieces) {
            if (!piece.isEmpty()) {
                trees.add(segment(dissector, false, sequence, piece, frameNumber++));
            }
        }
        return trees;
    }

    private static FrameTree segment(Dissector dissector, boolean fromServer, long[] sequence, String text, int frameNumber) {
        byte[] payload = text.getBytes(StandardCharsets.ISO_8859_1);
        int side = fromServer ? 1 : 0;
        String ports = fromServer ? "00199c40" : "9c400019";
        String tcp = ports + String.format("%08x%08x", sequence[side], sequence[1 - side]) + "5018faf00000" + "0000";
        sequence[side] += payload.length;
        String addresses = fromServer ? "0a4f00020a4f0001" : "0a4f00010a4f0002";
        String ip = "4500" + String.format("%04x", 40 + payload.length) + "0000" + "4000" + "4006" + "0000" + addresses;
        byte[] head = HEX.parseHex("020000000002" + "020000000001" + "0800" + ip + tcp);
        byte[] frame = new byte[head.length + payload.length];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(payload, 0, frame, head.length, payload.length);
        return dissector.dissect(frameNumber * 1_000_000L, frame, frame.length, frame.length);
    }
}
