package dev.stacklab.stack;

import dev.stacklab.wire.Checksum;
import dev.stacklab.wire.Icmpv4Packet;
import dev.stacklab.wire.Icmpv4Repr;
import dev.stacklab.wire.IpProtocol;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Option;
import dev.stacklab.wire.Ipv4Packet;
import dev.stacklab.wire.Ipv4Repr;
import dev.stacklab.wire.MalformedPacketException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

import static dev.stacklab.stack.Frames.IP_A;
import static dev.stacklab.stack.Frames.IP_FAR;
import static dev.stacklab.stack.Frames.IP_PEER;
import static dev.stacklab.stack.Frames.MAC_A;
import static dev.stacklab.stack.Frames.MAC_PEER;
import static dev.stacklab.stack.Frames.MS;
import static dev.stacklab.stack.Frames.SECOND;
import static dev.stacklab.stack.Frames.arpRequest;
import static dev.stacklab.stack.Frames.icmp;
import static dev.stacklab.stack.Frames.icmpOf;
import static dev.stacklab.stack.Frames.info;
import static dev.stacklab.stack.Frames.ipFrame;
import static dev.stacklab.stack.Frames.ipv4;
import static dev.stacklab.stack.Frames.pattern;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * IP options in echo replies (RFC 1122 3.2.2.6 and 3.2.1.8, RFC 791), checked on arrival, and
 * fragmentation of a reply that carries them.
 */
class EchoOptionsTest {
    private static final Ipv4Address HOP_1 = Ipv4Address.parse("10.0.0.201");
    private static final Ipv4Address HOP_2 = Ipv4Address.parse("10.0.0.202");
    private static final Ipv4Address EMPTY = Ipv4Address.UNSPECIFIED;
    /** 13:45:10.250 UT: the time of day the engine is told its time 0 stands for (plus whole days). */
    private static final long TIME_OF_DAY_MS = ((13 * 60 + 45) * 60 + 10) * 1000L + 250;

    private final Recorder.Host host = new Recorder.Host(Frames.configA());

    @BeforeEach
    void neighborsAreKnownAndTheClockIsSet() {
        host.stack.setUtcOffset((19_000 * 86_400_000L + TIME_OF_DAY_MS) * MS);
        host.answer(arpRequest(MAC_PEER, IP_PEER, IP_A), 0);
        host.answer(arpRequest(Frames.MAC_OTHER, HOP_2, IP_A), 0);
    }

    private static byte[] request(List<Ipv4Option> options, byte[] data) {
        return request(IP_PEER, options, data);
    }

    private static byte[] request(Ipv4Address source, List<Ipv4Option> options, byte[] data) {
        byte[] message = icmp(new Icmpv4Repr.EchoRequest(0x77, 5, data));
        Ipv4Repr header = Ipv4Repr.simple(source, IP_A, IpProtocol.ICMP, 64, 0x4242, false, message.length).withOptions(options);
        return Frames.ipv4Payload(header, message);
    }

    private static byte[] toA(byte[] datagram) {
        return ipFrame(MAC_A, MAC_PEER, datagram);
    }

    /** The one frame the stack sends in answer, checked to be a well-formed echo reply carrying {@code data}. */
    private byte[] onlyReply(List<byte[]> sent, byte[] data) {
        assertThat(sent).hasSize(1);
        byte[] reply = sent.get(0);
        Ipv4Packet ip = ipv4(reply);
        assertThat(ip.verifyChecksum()).isTrue();
        assertThat(ip.totalLength()).isEqualTo(reply.length - 14);
        assertThat(ip.source()).isEqualTo(IP_A);
        Icmpv4Packet echo = icmpOf(reply);
        assertThat(echo.checksumValid()).isTrue();
        assertThat(Arrays.copyOfRange(reply, echo.offset(), reply.length)).isEqualTo(icmp(new Icmpv4Repr.EchoReply(0x77, 5, data)));
        assertThat(info(reply)).startsWith("Echo (ping) reply").doesNotContain("Malformed");
        return reply;
    }

    private static List<Ipv4Option> optionsOf(byte[] frame) {
        try {
            return ipv4(frame).options();
        } catch (MalformedPacketException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Ipv4Address> slots(int count, Ipv4Address... filled) {
        List<Ipv4Address> slots = new ArrayList<>(List.of(filled));
        slots.addAll(Collections.nCopies(count - filled.length, EMPTY));
        return slots;
    }

    private static List<Long> stamps(int count, Long... filled) {
        List<Long> stamps = new ArrayList<>(List.of(filled));
        stamps.addAll(Collections.nCopies(count - filled.length, 0L));
        return stamps;
    }

    @Nested
    class RecordRoute {
        @Test
        void withRoomTheReplyRecordsUsAfterTheRequester() {
            // As iputils' `ping -R` sends it: a NOP, then nine slots with the sender's own address in the first.
            byte[] data = pattern(56);
            List<byte[]> sent = host.answer(toA(request(List.of(new Ipv4Option.NoOperation(),
                    new Ipv4Option.RecordRoute(8, slots(9, IP_PEER))), data)), MS);

            byte[] reply = onlyReply(sent, data);
            assertThat(ipv4(reply).headerLength()).isEqualTo(60);
            assertThat(ipv4(reply).destination()).isEqualTo(IP_PEER);
            // The NOP is not copied; the 39-byte option is padded with one End of Option List byte, as Linux pads it.
            assertThat(optionsOf(reply)).containsExactly(new Ipv4Option.RecordRoute(12, slots(9, IP_PEER, IP_A)),
                    new Ipv4Option.EndOfOptionList());
            assertThat(HexFormat.of().formatHex(reply, 14 + 20, 14 + 28)).isEqualTo("07270c0a0000030a");
            assertThat(host.counter("icmp echo replies sent")).isEqualTo(1);
        }

        @Test
        void aFullRouteIsCopiedAsItIs() {
            Ipv4Option.RecordRoute full = new Ipv4Option.RecordRoute(12, List.of(IP_PEER, HOP_1));
            byte[] data = pattern(20);
            byte[] reply = onlyReply(host.answer(toA(request(List.of(full), data)), MS), data);
            assertThat(optionsOf(reply)).containsExactly(full, new Ipv4Option.EndOfOptionList());
            assertThat(ipv4(reply).headerLength()).isEqualTo(32);
        }
    }

    @Nested
    class Timestamp {
        private Ipv4Option.Timestamp replyTimestamp(Ipv4Option.Timestamp sent, long now) {
            byte[] data = pattern(16);
            byte[] reply = onlyReply(host.answer(toA(request(List.of(sent), data)), now), data);
            assertThat(optionsOf(reply).get(0)).isInstanceOf(Ipv4Option.Timestamp.class);
            return (Ipv4Option.Timestamp) optionsOf(reply).get(0);
        }

        @Test
        void timestampsOnlyGetsOursInMillisecondsSinceMidnightUt() {
            Ipv4Option.Timestamp sent = new Ipv4Option.Timestamp(9, 0, Ipv4Option.TIMESTAMP_ONLY, List.of(), stamps(9, 49_000_000L));
            Ipv4Option.Timestamp got = replyTimestamp(sent, 7 * SECOND + 3 * MS);
            assertThat(got).isEqualTo(new Ipv4Option.Timestamp(13, 0, Ipv4Option.TIMESTAMP_ONLY, List.of(),
                    stamps(9, 49_000_000L, TIME_OF_DAY_MS + 7003)));
        }

        /**
         * The driver's wall-clock reading that comes with the frame is the stamp, whatever an offset given earlier says:
         * an offset taken once drifts and is up to a millisecond short, which made replies stamp earlier than requests.
         */
        @Test
        void aWallClockReadingWithTheFrameIsTheStampAndRelatesLaterTimesToo() {
            long wallClock = 20_000 * 86_400_000L + TIME_OF_DAY_MS + 999;
            Ipv4Option.Timestamp sent = new Ipv4Option.Timestamp(9, 0, Ipv4Option.TIMESTAMP_ONLY, List.of(), stamps(9, 49_000_000L));
            byte[] data = pattern(16);
            host.stack.receive(toA(request(List.of(sent), data)), toA(request(List.of(sent), data)).length, 5 * SECOND + 400_000, wallClock);
            byte[] reply = onlyReply(host.poll(5 * SECOND + 400_000), data);
            assertThat(optionsOf(reply).get(0)).isEqualTo(new Ipv4Option.Timestamp(13, 0, Ipv4Option.TIMESTAMP_ONLY, List.of(),
                    stamps(9, 49_000_000L, TIME_OF_DAY_MS + 999)));

            // A frame without a reading 2 ms later in engine time: 2 ms later on that wall clock.
            assertThat(replyTimestamp(sent, 5 * SECOND + 2_400_000).timestamps().get(1)).isEqualTo(TIME_OF_DAY_MS + 1001);
        }

        @Test
        void addressAndTimestampGetsBoth() {
            Ipv4Option.Timestamp sent = new Ipv4Option.Timestamp(13, 0, Ipv4Option.TIMESTAMP_WITH_ADDRESS,
                    slots(4, IP_PEER), stamps(4, 1L));
            Ipv4Option.Timestamp got = replyTimestamp(sent, MS);
            assertThat(got).isEqualTo(new Ipv4Option.Timestamp(21, 0, Ipv4Option.TIMESTAMP_WITH_ADDRESS,
                    slots(4, IP_PEER, IP_A), stamps(4, 1L, TIME_OF_DAY_MS + 1)));
        }

        @Test
        void prespecifiedIsStampedOnlyWhereOurAddressIsNext() {
            Ipv4Option.Timestamp ours = new Ipv4Option.Timestamp(5, 0, Ipv4Option.TIMESTAMP_PRESPECIFIED,
                    List.of(IP_A, IP_PEER), stamps(2));
            assertThat(replyTimestamp(ours, 2 * MS)).isEqualTo(new Ipv4Option.Timestamp(13, 0, Ipv4Option.TIMESTAMP_PRESPECIFIED,
                    List.of(IP_A, IP_PEER), stamps(2, TIME_OF_DAY_MS + 2)));

            Ipv4Option.Timestamp notNext = new Ipv4Option.Timestamp(5, 0, Ipv4Option.TIMESTAMP_PRESPECIFIED,
                    List.of(IP_PEER, IP_A), stamps(2));
            assertThat(replyTimestamp(notNext, 3 * MS)).isEqualTo(notNext);
        }

        @Test
        void aFullOptionCountsUsInTheOverflow() {
            Ipv4Option.Timestamp full = new Ipv4Option.Timestamp(13, 2, Ipv4Option.TIMESTAMP_WITH_ADDRESS,
                    List.of(IP_PEER), List.of(5L));
            assertThat(replyTimestamp(full, MS)).isEqualTo(new Ipv4Option.Timestamp(13, 3, Ipv4Option.TIMESTAMP_WITH_ADDRESS,
                    List.of(IP_PEER), List.of(5L)));
        }

        @Test
        void anOverflowThatWouldOverflowIsAParameterProblem() {
            Ipv4Option.Timestamp full = new Ipv4Option.Timestamp(9, 15, Ipv4Option.TIMESTAMP_ONLY, List.of(), List.of(5L));
            byte[] request = request(List.of(full), pattern(8));
            assertParameterProblem(host.answer(toA(request), MS), request, 20 + 3);
        }

        @Test
        void withoutAnOffsetTimeZeroIsMidnight() {
            Recorder.Host fresh = new Recorder.Host(Frames.configA());
            fresh.answer(arpRequest(MAC_PEER, IP_PEER, IP_A), 0);
            Ipv4Option.Timestamp sent = new Ipv4Option.Timestamp(5, 0, Ipv4Option.TIMESTAMP_ONLY, List.of(), stamps(1));
            List<byte[]> replies = fresh.answer(toA(request(List.of(sent), pattern(8))), 86_400 * SECOND + 1234 * MS);
            assertThat(optionsOf(replies.get(0)).get(0)).isEqualTo(new Ipv4Option.Timestamp(9, 0, 0, List.of(), List.of(1234L)));
        }
    }

    @Nested
    class SourceRoute {
        @Test
        void aCompletedLooseRouteIsReversedForTheReply() {
            // PEER -> HOP_1 -> HOP_2 -> us: both hops recorded themselves; the reply goes HOP_2 -> HOP_1 -> PEER.
            byte[] data = pattern(24);
            List<byte[]> sent = host.answer(toA(request(List.of(new Ipv4Option.SourceRoute(false, 12, List.of(HOP_1, HOP_2))), data)), MS);
            byte[] reply = onlyReply(sent, data);
            assertThat(ipv4(reply).destination()).isEqualTo(HOP_2);
            assertThat(Frames.ethernetDestination(reply)).isEqualTo(Frames.MAC_OTHER);
            assertThat(optionsOf(reply)).containsExactly(new Ipv4Option.SourceRoute(false, 4, List.of(HOP_1, IP_PEER)),
                    new Ipv4Option.EndOfOptionList());
        }

        @Test
        void aRouteThatStartsWithTheRequesterIsStillReversedCorrectly() {
            // RFC 1122 3.2.1.8 case B: the sender listed itself first; the return route must not name it twice.
            byte[] data = pattern(8);
            List<byte[]> sent = host.answer(toA(request(List.of(new Ipv4Option.SourceRoute(true, 12, List.of(IP_PEER, HOP_2))), data)), MS);
            byte[] reply = onlyReply(sent, data);
            assertThat(ipv4(reply).destination()).isEqualTo(HOP_2);
            assertThat(optionsOf(reply)).containsExactly(new Ipv4Option.SourceRoute(true, 4, List.of(IP_PEER)),
                    new Ipv4Option.EndOfOptionList());
        }

        @Test
        void aRouteNotYetAtItsEndIsNotForUs() {
            byte[] request = request(List.of(new Ipv4Option.SourceRoute(false, 4, List.of(HOP_1))), pattern(8));
            assertThat(host.answer(toA(request), MS)).isEmpty();
            assertThat(host.recorder.drops(DropReason.NOT_FOR_US)).singleElement()
                    .satisfies(drop -> assertThat(drop.detail()).contains("goes on to 10.0.0.201"));
            assertThat(host.counter("icmp echo requests received")).isZero();
        }

        @Test
        void aStrictReturnRouteWhoseFirstHopIsOffLinkCannotBeSent() {
            byte[] request = request(List.of(new Ipv4Option.SourceRoute(true, 8, List.of(IP_FAR))), pattern(8));
            assertThat(host.answer(toA(request), MS)).isEmpty();
            assertThat(host.recorder.drops(DropReason.NO_ROUTE)).hasSize(1);
        }
    }

    @Nested
    class OtherAndMalformedOptions {
        @Test
        void unknownOptionsAreNotCopied() {
            // Router Alert (RFC 2113) and an unassigned type: ignored on arrival, absent from the reply.
            byte[] data = pattern(8);
            List<Ipv4Option> options = List.of(new Ipv4Option.Other(0x94, new byte[2]), new Ipv4Option.Other(0x1e, new byte[] {1, 2}));
            byte[] reply = onlyReply(host.answer(toA(request(options, data)), MS), data);
            assertThat(ipv4(reply).headerLength()).isEqualTo(20);
        }

        @Test
        void aBadPointerIsAParameterProblemAndNoReply() {
            byte[] request = request(List.of(new Ipv4Option.NoOperation(), new Ipv4Option.RecordRoute(3, slots(2))), pattern(8));
            assertParameterProblem(host.answer(toA(request), MS), request, 20 + 1 + 2);
        }

        @Test
        void anUndefinedTimestampFlagIsAParameterProblem() {
            byte[] request = request(List.of(new Ipv4Option.Other(Ipv4Option.TYPE_TIMESTAMP, new byte[] {5, 2, 0, 0, 0, 0})), pattern(8));
            assertParameterProblem(host.answer(toA(request), MS), request, 20 + 3);
        }

        @Test
        void aSecondRecordRouteIsAParameterProblem() {
            byte[] request = request(List.of(new Ipv4Option.RecordRoute(4, slots(1)), new Ipv4Option.RecordRoute(4, slots(1))), pattern(8));
            assertParameterProblem(host.answer(toA(request), MS), request, 20 + 7);
        }

        @Test
        void aLengthPastTheEndIsAParameterProblem() {
            byte[] request = request(List.of(new Ipv4Option.RecordRoute(4, slots(1))), pattern(8));
            // Option length 7 becomes 9: runs past the 8-byte options area.
            request[21] = 9;
            refreshHeaderChecksum(request);
            assertParameterProblem(host.answer(toA(request), MS), request, 21);
        }

        @Test
        void malformedOptionsOnUdpAreDroppedToo() {
            byte[] datagram = Frames.udpDatagram(IP_PEER, IP_A, 40000, 7, pattern(4));
            Ipv4Repr header = Ipv4Repr.simple(IP_PEER, IP_A, IpProtocol.UDP, 64, 1, false, datagram.length - 20)
                    .withOptions(List.of(new Ipv4Option.RecordRoute(2, slots(1))));
            byte[] withOptions = Frames.ipv4Payload(header, Arrays.copyOfRange(datagram, 20, datagram.length));
            assertParameterProblem(host.answer(toA(withOptions), MS), withOptions, 22);
            assertThat(host.counter("udp datagrams received")).isZero();
        }

        private static void refreshHeaderChecksum(byte[] datagram) {
            int headerLength = (datagram[0] & 0x0F) * 4;
            datagram[10] = 0;
            datagram[11] = 0;
            int checksum = Checksum.compute(datagram, 0, headerLength);
            datagram[10] = (byte) (checksum >>> 8);
            datagram[11] = (byte) checksum;
        }
    }

    /** The stack sent exactly a Parameter Problem about {@code request} pointing at {@code pointer}, and counted the drop. */
    private void assertParameterProblem(List<byte[]> sent, byte[] request, int pointer) {
        assertThat(sent).hasSize(1);
        Icmpv4Packet problem = icmpOf(sent.get(0));
        assertThat(problem.type()).isEqualTo(Icmpv4Packet.TYPE_PARAMETER_PROBLEM);
        assertThat(problem.pointer()).isEqualTo(pointer);
        assertThat(problem.checksumValid()).isTrue();
        assertThat(Arrays.copyOfRange(sent.get(0), problem.bodyOffset(), problem.bodyOffset() + problem.bodyLength())).isEqualTo(request);
        assertThat(host.counter("dropped: malformed")).isEqualTo(1);
        assertThat(host.counter("icmp echo replies sent")).isZero();
    }

    @Nested
    class Fragmentation {
        @Test
        void aLargeReplyCarriesRecordRouteOnlyInItsFirstFragment() {
            // A 3000-byte ping -R arrives in three fragments (RR not copied past the first, as a router does).
            byte[] data = pattern(3000);
            byte[] whole = request(List.of(new Ipv4Option.NoOperation(), new Ipv4Option.RecordRoute(8, slots(9, IP_PEER))), data);
            for (byte[] fragment : fragmentsWithoutCopiedOptions(whole, 1440)) {
                host.receive(toA(fragment), MS);
            }
            List<byte[]> sent = host.poll(MS);

            // 3008 bytes of ICMP: 1440 after the 60-byte first header, then 1480 after 20-byte ones, then 88.
            assertThat(sent).extracting(frame -> ipv4(frame).headerLength()).containsExactly(60, 20, 20);
            assertThat(sent).extracting(frame -> ipv4(frame).payloadLength()).containsExactly(1440, 1480, 88);
            assertThat(sent).extracting(frame -> ipv4(frame).fragmentOffset()).containsExactly(0, 1440, 2920);
            assertThat(sent).extracting(frame -> ipv4(frame).moreFragments()).containsExactly(true, true, false);
            assertThat(sent).allSatisfy(frame -> {
                assertThat(ipv4(frame).verifyChecksum()).isTrue();
                assertThat(ipv4(frame).totalLength()).isEqualTo(frame.length - 14).isLessThanOrEqualTo(1500);
                assertThat(ipv4(frame).identification()).isEqualTo(ipv4(sent.get(0)).identification());
            });
            assertThat(optionsOf(sent.get(0))).containsExactly(new Ipv4Option.RecordRoute(12, slots(9, IP_PEER, IP_A)),
                    new Ipv4Option.EndOfOptionList());
            assertThat(Frames.reassembledPayload(sent)).isEqualTo(icmp(new Icmpv4Repr.EchoReply(0x77, 5, data)));
            assertThat(Frames.infos(sent).get(2)).startsWith("Echo (ping) reply");
        }

        @Test
        void aSourceRouteIsCopiedIntoEveryFragmentAndRecordRouteIsNot() {
            byte[] data = pattern(2000);
            List<Ipv4Option> options = List.of(new Ipv4Option.RecordRoute(4, slots(2)),
                    new Ipv4Option.SourceRoute(false, 8, List.of(HOP_2)));
            byte[] whole = request(options, data);
            for (byte[] fragment : fragmentsWithoutCopiedOptions(whole, 1464)) {
                host.receive(toA(fragment), MS);
            }
            List<byte[]> sent = host.poll(MS);

            Ipv4Option.SourceRoute returnRoute = new Ipv4Option.SourceRoute(false, 4, List.of(IP_PEER));
            assertThat(sent).hasSize(2);
            assertThat(optionsOf(sent.get(0))).containsExactly(new Ipv4Option.RecordRoute(8, List.of(IP_A, EMPTY)), returnRoute,
                    new Ipv4Option.EndOfOptionList());
            assertThat(optionsOf(sent.get(1))).containsExactly(returnRoute, new Ipv4Option.EndOfOptionList());
            assertThat(sent).extracting(frame -> ipv4(frame).destination()).containsOnly(HOP_2);
            assertThat(sent).allSatisfy(frame -> assertThat(ipv4(frame).verifyChecksum()).isTrue());
            assertThat(Frames.reassembledPayload(sent)).isEqualTo(icmp(new Icmpv4Repr.EchoReply(0x77, 5, data)));
        }

        /**
         * Cuts a datagram as a router would (RFC 791 section 3.2): the first fragment keeps the
         * header whole, later ones carry only the options with the copied flag.
         */
        private List<byte[]> fragmentsWithoutCopiedOptions(byte[] datagram, int dataPerFragment) {
            Ipv4Repr header;
            try {
                header = Ipv4Repr.parse(Ipv4Packet.wrapChecked(datagram, 0, datagram.length));
            } catch (MalformedPacketException e) {
                throw new AssertionError(e);
            }
            List<Ipv4Option> copied = header.options().stream().filter(Ipv4Option::copiedIntoFragments).toList();
            int headerLength = header.headerLength();
            int dataLength = datagram.length - headerLength;
            List<byte[]> out = new ArrayList<>();
            for (int start = 0; start < dataLength; start += dataPerFragment) {
                int chunk = Math.min(dataPerFragment, dataLength - start);
                Ipv4Repr pieceHeader = new Ipv4Repr(0, 0, header.identification(), false, false, start + chunk < dataLength,
                        start, header.timeToLive(), header.protocol(), header.source(), header.destination(), List.of(),
                        new byte[0], chunk, true);
                pieceHeader = start == 0 ? pieceHeader.withOptions(header.options()) : pieceHeader.withOptions(copied);
                out.add(Frames.ipv4Payload(pieceHeader, Arrays.copyOfRange(datagram, headerLength + start, headerLength + start + chunk)));
            }
            return out;
        }
    }
}
