package dev.stacklab.app.capture;

import dev.stacklab.capture.CaptureReader;
import dev.stacklab.capture.SampleCapture;
import dev.stacklab.dissect.DisplayFilter;
import dev.stacklab.dissect.DisplayFilterException;
import dev.stacklab.dissect.Dissector;
import dev.stacklab.dissect.FieldNode;
import dev.stacklab.dissect.FrameTree;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** "Apply as Filter" on any field of the sample capture builds a filter that compiles and matches its own frame. */
class FieldFiltersTest {
    @Test
    void everyFieldsFilterCompilesAndMatchesItsFrame() throws IOException, DisplayFilterException {
        Dissector dissector = new Dissector();
        int checked = 0;
        try (CaptureReader reader = CaptureReader.open(SampleCapture.open())) {
            while (reader.next()) {
                byte[] frame = Arrays.copyOf(reader.data(), reader.capturedLength());
                FrameTree tree = dissector.dissect(reader.timestampNanos(), frame, frame.length, reader.originalLength());
                List<FieldNode> fields = new ArrayList<>();
                tree.forEachField(fields::add);
                for (FieldNode field : fields) {
                    String filter = FieldFilters.filterFor(field);
                    if (filter == null) {
                        continue;
                    }
                    assertThat(DisplayFilter.compile(filter).matches(tree)).as("%s in frame %d", filter, tree.summary().number()).isTrue();
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(1000);
    }

    @Test
    void filtersReadAsWiresharkBuildsThem() {
        assertThat(FieldFilters.quoted("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    }
}
