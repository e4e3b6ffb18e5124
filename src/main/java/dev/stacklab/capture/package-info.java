/**
 * Capture files in plain Java: a streaming reader for classic pcap and pcapng, and a classic pcap
 * writer whose files tshark, capinfos and Wireshark open without a warning.
 *
 * <p>Rules the readers follow:
 * <ul>
 *   <li>Streaming. A reader holds one frame at a time in a reused buffer; a capture of any size is
 *       read in bounded memory.</li>
 *   <li>Every length read from the file is checked before it is used to allocate or to read: a
 *       frame may not claim more than {@link dev.stacklab.capture.CaptureReader#MAX_CAPTURED_LENGTH}
 *       bytes (Wireshark's limit), pcapng block lengths must be multiples of 4, at least the block
 *       type's minimum and large enough to hold what the block says it contains.</li>
 *   <li>Damage is reported once, after every good frame before it, as a
 *       {@link dev.stacklab.capture.CaptureFormatException} naming the byte offset and the problem.
 *       Nothing else escapes a reader except the {@code IOException}s of the file itself.</li>
 * </ul>
 *
 * <p>Formats: classic pcap per draft-ietf-opsawg-pcap, pcapng per draft-ietf-opsawg-pcapng.
 */
package dev.stacklab.capture;
