package dev.stacklab.dissect;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The UTF-8 text summary lines are written into: the JDK's bytes for every kind of character and number. */
class Utf8TextTest {
    private static byte[] bytes(Utf8Text text) {
        return Arrays.copyOf(text.bytes(), text.length());
    }

    @Test
    void encodesStringsAndBuildersAsTheJdkDoes() {
        String[] texts = {"", "plain ASCII", "1024 → 8080 [SYN]", "[TCP Flags: ·······A···F]", "é ü ß", "😀 outside the BMP",
            "a\uD800b lone surrogate", "ends high \uD83D", "x".repeat(5_000) + "→"};
        for (String text : texts) {
            byte[] expected = text.getBytes(StandardCharsets.UTF_8);
            assertThat(bytes(new Utf8Text(1).append(text))).as(text).isEqualTo(expected);
            assertThat(bytes(new Utf8Text(1).append(new StringBuilder(text)))).as(text).isEqualTo(expected);
            assertThat(bytes(new Utf8Text(1).append((CharSequence) java.nio.CharBuffer.wrap(text)))).as(text).isEqualTo(expected);
        }
    }

    @Test
    void writesNumbersAsLongToStringDoes() {
        long[] values = {0, 7, 10, 99, 100, 123_456_789, -1, -10, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE};
        Utf8Text text = new Utf8Text(2);
        StringBuilder expected = new StringBuilder();
        for (long value : values) {
            text.appendDecimal(value).appendAscii(' ');
            expected.append(value).append(' ');
        }
        text.appendZeroPadded(1_250, 6).appendSpaces(3).appendZeroPadded(0, 1);
        expected.append("001250   0");
        assertThat(new String(bytes(text), StandardCharsets.US_ASCII)).isEqualTo(expected.toString());
    }

    @Test
    void clearKeepsNothing() {
        Utf8Text text = new Utf8Text(4).append("abc");
        text.clear();
        assertThat(text.append("d").length()).isEqualTo(1);
        assertThat(bytes(text)).containsExactly('d');
    }
}
