package dev.stacklab.capture;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever the bytes, a capture reader returns frames and then ends or throws an IOException
 * (normally a CaptureFormatException); any other exception, an overlong frame or a reader that does
 * not stop fails. Under {@code mvn verify} this runs the regression inputs in
 * {@code src/test/resources/dev/stacklab/capture/CaptureReaderFuzzTestInputs/readCapture/};
 * {@code JAZZER_FUZZ=1 mvn -o test -Dtest=CaptureReaderFuzzTest} fuzzes for {@code maxDuration}.
 */
class CaptureReaderFuzzTest {
    /** The smallest record a frame costs in any format: a pcap record header, or a pcapng SPB. */
    private static final int SMALLEST_FRAME_RECORD = 16;

    @FuzzTest(maxDuration = "60s")
    void readCapture(byte[] file) {
        int frames = 0;
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(file))) {
            assertThat(reader.format()).isNotEmpty();
            while (reader.next()) {
                frames++;
                assertThat(frames).as("frames").isLessThanOrEqualTo(file.length / SMALLEST_FRAME_RECORD);
                assertThat(reader.capturedLength()).isBetween(0, Math.min(CaptureReader.MAX_CAPTURED_LENGTH, reader.data().length));
                assertThat(reader.originalLength()).isNotNegative();
            }
            assertThat(reader.next()).as("stays at the end").isFalse();
        } catch (IOException expected) {
            // CaptureFormatException for damaged input: the one way a reader may refuse bytes.
        }
    }
}
