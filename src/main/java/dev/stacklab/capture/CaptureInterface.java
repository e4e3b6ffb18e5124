package dev.stacklab.capture;

/**
 * The pcapng interface a frame was captured on, as Wireshark shows it in the Frame section.
 *
 * @param sectionNumber the file's section, counted from 1
 * @param id            the interface's index within its section
 * @param name          {@code if_name} ("eth0"), or null when the file does not say
 * @param description   {@code if_description} ("Loopback"), or null
 */
public record CaptureInterface(int sectionNumber, int id, String name, String description) {
}
