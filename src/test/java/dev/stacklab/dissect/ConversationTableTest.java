package dev.stacklab.dissect;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ConversationTableTest {

    @Test
    void bothDirectionsFindTheSameConversation() {
        ConversationTable<String> table = new ConversationTable<>(16);
        table.put(0x0A000001, 40000, 0x0A000002, 80, "first");

        assertThat(table.get(0x0A000002, 80, 0x0A000001, 40000)).isEqualTo("first");
        assertThat(table.get(0x0A000001, 40000, 0x0A000002, 81)).isNull();
    }

    @Test
    void forgetsTheLeastRecentlyUsedBeyondCapacity() {
        ConversationTable<String> table = new ConversationTable<>(2);
        table.put(1, 1, 2, 2, "a");
        table.put(3, 3, 4, 4, "b");
        table.get(1, 1, 2, 2);
        table.put(5, 5, 6, 6, "c");

        assertThat(table.get(3, 3, 4, 4)).isNull();
        assertThat(table.get(1, 1, 2, 2)).isEqualTo("a");
        assertThat(table.get(5, 5, 6, 6)).isEqualTo("c");
    }

    /** The table must behave exactly as the access-ordered LinkedHashMap it replaces, evictions included. */
    @Test
    void agreesWithAnAccessOrderedLinkedHashMapOverRandomTraffic() {
        int capacity = 300;
        Map<List<Long>, Integer> reference = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<List<Long>, Integer> eldest) {
                return size() > capacity;
            }
        };
        ConversationTable<Integer> table = new ConversationTable<>(capacity);
        Random random = new Random(7);
        for (int step = 0; step < 200_000; step++) {
            int addressA = 0x0A000000 | random.nextInt(4);
            int addressB = 0x0A000000 | random.nextInt(4);
            int portA = random.nextInt(600);
            int portB = random.nextInt(3);
            List<Long> key = key(addressA, portA, addressB, portB);
            if (random.nextInt(3) == 0) {
                reference.put(key, step);
                table.put(addressA, portA, addressB, portB, step);
            } else {
                assertThat(table.get(addressA, portA, addressB, portB)).as("step %d", step).isEqualTo(reference.get(key));
            }
        }
    }

    private static List<Long> key(int addressA, int portA, int addressB, int portB) {
        long a = ((addressA & 0xFFFF_FFFFL) << 16) | portA;
        long b = ((addressB & 0xFFFF_FFFFL) << 16) | portB;
        return List.of(Math.min(a, b), Math.max(a, b));
    }
}
