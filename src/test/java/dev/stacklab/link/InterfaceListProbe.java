package dev.stacklab.link;

/**
 * Run in a child JVM inside namespaces a test made: prints whether it is in a user namespace, then the interfaces as
 * {@link InterfaceInfo} sees them, one per line as the CLI lists them.
 */
public final class InterfaceListProbe {
    private InterfaceListProbe() {
    }

    public static void main(String[] args) {
        System.out.println("user namespace: " + UserNamespace.inside());
        for (InterfaceInfo info : InterfaceInfo.list()) {
            System.out.println(info.index() + " " + info);
        }
    }
}
