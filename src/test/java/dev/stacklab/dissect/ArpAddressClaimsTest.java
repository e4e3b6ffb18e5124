package dev.stacklab.dissect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Who holds which address, as Wireshark's duplicate-address detection keeps it. */
class ArpAddressClaimsTest {
    private static final long FIRST = 0x001b21000001L;
    private static final long SECOND = 0x001b21000002L;
    private static final int ADDRESS = 0x0a000001;

    @Test
    void anotherStationsClaimIsReportedAgainstTheStandingOneWithoutReplacingIt() {
        ArpAddressClaims claims = new ArpAddressClaims();
        assertThat(claims.claim(ADDRESS, FIRST, 1, 0)).isNull();
        // The same station again renews its claim: frame and second move on.
        assertThat(claims.claim(ADDRESS, FIRST, 2, 1_500_000_000L)).isNull();
        assertThat(claims.claim(ADDRESS, SECOND, 3, 4_200_000_000L)).isEqualTo(new ArpAddressClaims.Claim(FIRST, 2, 1));
        assertThat(claims.claim(ADDRESS, SECOND, 4, 5_000_000_000L)).isEqualTo(new ArpAddressClaims.Claim(FIRST, 2, 1));
    }

    @Test
    void probesAndZeroOrGroupAddressesClaimNothing() {
        ArpAddressClaims claims = new ArpAddressClaims();
        assertThat(claims.claim(0, FIRST, 1, 0)).isNull();
        assertThat(claims.claim(0, SECOND, 2, 0)).isNull();
        assertThat(claims.claim(ADDRESS, 0, 3, 0)).isNull();
        assertThat(claims.claim(ADDRESS, 0x01005e000001L, 4, 0)).isNull();
        assertThat(claims.claim(ADDRESS, 0xFFFF_FFFF_FFFFL, 5, 0)).isNull();
        assertThat(claims.claim(ADDRESS, FIRST, 6, 0)).isNull();
    }

    @Test
    void theTableIsBoundedAndForgetsTheLeastRecentlyClaimedAddressFirst() {
        ArpAddressClaims claims = new ArpAddressClaims();
        for (int i = 0; i <= ArpAddressClaims.MAXIMUM_ADDRESSES; i++) {
            claims.claim(0x0a000000 + i + 1, FIRST, i + 1, 0);
        }
        // The first address was forgotten, so another station's claim of it is a first claim; the last is kept.
        assertThat(claims.claim(0x0a000001, SECOND, 1_000_000, 0)).isNull();
        assertThat(claims.claim(0x0a000000 + ArpAddressClaims.MAXIMUM_ADDRESSES + 1, SECOND, 1_000_001, 0)).isNotNull();
    }
}
