package dev.stacklab.link;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading /proc/self/uid_map; that a JVM under `unshare -rn` finds itself inside is in {@link InterfaceInfoTest}. */
class UserNamespaceTest {
    @Test
    void theIdentityMapOverAllUidsIsTheInitialNamespace() {
        assertThat(UserNamespace.isInitialMap("         0          0 4294967295\n")).isTrue();
    }

    @Test
    void unshareRnMapsOneUidToRoot() {
        assertThat(UserNamespace.isInitialMap("         0      65534          1\n")).isFalse();
        assertThat(UserNamespace.isInitialMap("         0          0          1\n")).as("real root under unshare -r").isFalse();
    }

    @Test
    void aRootlessContainerMapsSeveralRanges() {
        assertThat(UserNamespace.isInitialMap("         0       1000          1\n         1     100000      65536\n")).isFalse();
    }

    @Test
    void aNamespaceWhoseMapIsNotWrittenYetHasNone() {
        assertThat(UserNamespace.isInitialMap("")).isFalse();
    }

    @Test
    void anIdentityMapOverFewerUidsIsNotTheInitialOne() {
        assertThat(UserNamespace.isInitialMap("0 0 4294967294\n")).isFalse();
        assertThat(UserNamespace.isInitialMap("0 0 4294967295 7\n")).isFalse();
        assertThat(UserNamespace.isInitialMap("0 0 x\n")).isFalse();
    }
}
