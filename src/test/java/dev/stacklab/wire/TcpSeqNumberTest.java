package dev.stacklab.wire;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TcpSeqNumberTest {
    private static final TcpSeqNumber TOP = TcpSeqNumber.of(0xFFFF_FFF0L);

    @Test
    void ordersAcrossTheWrap() {
        TcpSeqNumber wrapped = TOP.plus(0x20);
        assertThat(wrapped.value()).isEqualTo(0x10);
        assertThat(TOP.isBefore(wrapped)).isTrue();
        assertThat(wrapped.isAfter(TOP)).isTrue();
        assertThat(wrapped.minus(TOP)).isEqualTo(0x20);
        assertThat(TOP.minus(wrapped)).isEqualTo(-0x20);
        assertThat(TcpSeqNumber.max(TOP, wrapped)).isEqualTo(wrapped);
        assertThat(TcpSeqNumber.min(TOP, wrapped)).isEqualTo(TOP);
        assertThat(TOP.isAtOrBefore(TOP) && TOP.isAtOrAfter(TOP)).isTrue();
        assertThat(TOP.isBefore(TOP) || TOP.isAfter(TOP)).isFalse();
    }

    @Test
    void halfTheSpaceAheadIsAfterAndFurtherIsBefore() {
        TcpSeqNumber zero = TcpSeqNumber.ZERO;
        assertThat(TcpSeqNumber.of(0x7FFF_FFFFL).isAfter(zero)).isTrue();
        assertThat(TcpSeqNumber.of(0x8000_0001L).isBefore(zero)).isTrue();
    }

    @Test
    void withinIsHalfOpenAndWraps() {
        TcpSeqNumber low = TOP;
        TcpSeqNumber high = TOP.plus(0x20);
        assertThat(TOP.isWithin(low, high)).isTrue();
        assertThat(TcpSeqNumber.of(0).isWithin(low, high)).isTrue();
        assertThat(high.isWithin(low, high)).isFalse();
        assertThat(TOP.plus(-1).isWithin(low, high)).isFalse();
        assertThat(TOP.isWithin(low, low)).as("empty range").isFalse();
    }

    @Test
    void readsAndWritesAsUnsigned() {
        assertThat(TcpSeqNumber.of(0xFFFF_FFFFL).bits()).isEqualTo(-1);
        assertThat(TcpSeqNumber.of(0xFFFF_FFFFL)).hasToString("4294967295");
        assertThat(TcpSeqNumber.after(5L, 0xFFFF_FFFFL)).isTrue();
    }
}
