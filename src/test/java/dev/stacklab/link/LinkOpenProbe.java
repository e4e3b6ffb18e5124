package dev.stacklab.link;

/**
 * Run in a child JVM without CAP_NET_RAW and CAP_NET_ADMIN by the tests of the "no privilege" messages:
 * opens a link and prints the LinkException's message, which is what the CLI would print.
 */
public final class LinkOpenProbe {
    private LinkOpenProbe() {
    }

    public static void main(String[] args) {
        try {
            Link link = args[0].equals("pcap") ? PcapLink.open(args[1]) : TapLink.open(args[1]);
            link.close();
            System.out.println("OPENED");
        } catch (LinkException e) {
            System.out.println(e.getMessage());
        }
    }
}
