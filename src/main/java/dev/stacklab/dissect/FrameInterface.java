package dev.stacklab.dissect;

/**
 * The capture interface a frame came from, when the capture file records one (pcapng), for the Frame section.
 *
 * @param sectionNumber the file's section, counted from 1
 * @param id            the interface's index within its section
 * @param name          the interface's name, or null when the file does not give it
 * @param description   its description, or null
 */
public record FrameInterface(int sectionNumber, int id, String name, String description) {
    /** Wireshark's name for an interface whose name the file does not give. */
    String shownName() {
        return name == null ? "unknown" : name;
    }
}
