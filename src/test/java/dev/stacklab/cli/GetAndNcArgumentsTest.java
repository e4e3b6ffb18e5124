package dev.stacklab.cli;

import dev.stacklab.wire.Ipv4Address;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** get and nc refuse bad arguments in one line naming what is wrong, before they touch a network. */
class GetAndNcArgumentsTest {
    @Test
    void urlsAreParsedIntoAddressPortHostAndPath() {
        assertThat(GetCommand.parseUrl("http://10.0.0.1/bytes/10")).isEqualTo(
                new GetCommand.Target(Ipv4Address.parse("10.0.0.1"), 80, "10.0.0.1", "/bytes/10"));
        assertThat(GetCommand.parseUrl("http://10.0.0.1:8000")).isEqualTo(
                new GetCommand.Target(Ipv4Address.parse("10.0.0.1"), 8000, "10.0.0.1:8000", "/"));
        assertThat(GetCommand.parseUrl("HTTP://10.0.0.1/a?b=c")).isEqualTo(
                new GetCommand.Target(Ipv4Address.parse("10.0.0.1"), 80, "10.0.0.1", "/a?b=c"));
    }

    @Test
    void getRefusesUrlsItCannotFetch() {
        assertRefused("get: URL 'https://10.0.0.1/': only http:// URLs (stacklab has no TLS)",
                "get", "https://10.0.0.1/", "--interface-name", "nosuch0");
        assertRefused("get: URL 'http://example.com/': the host must be an IPv4 address (stacklab has no DNS), not 'example.com'",
                "get", "http://example.com/", "--interface-name", "nosuch0");
        assertRefused("get: URL 'http://10.0.0.1:70000/': port 70000 is outside 1-65535",
                "get", "http://10.0.0.1:70000/", "--interface-name", "nosuch0");
        assertRefused("get: -o /no/such/dir/out: the directory /no/such/dir does not exist",
                "get", "http://10.0.0.1/", "-o", "/no/such/dir/out", "--interface-name", "nosuch0");
    }

    @Test
    void ncRefusesBadHostsAndPorts() {
        assertRefused("nc: PORT must be 1-65535, not '99999'", "nc", "-l", "99999", "--interface-name", "nosuch0");
        assertRefused("nc: PORT must be 1-65535, not 'http'", "nc", "10.0.0.1", "http", "--interface-name", "nosuch0");
        assertRefused("nc: HOST must be an IPv4 address (stacklab has no DNS), not 'example.com'",
                "nc", "example.com", "80", "--interface-name", "nosuch0");
        assertRefused("nc: give HOST and PORT (or -l PORT), not 80", "nc", "80", "--interface-name", "nosuch0");
        assertRefused("nc: with -l give only the PORT to listen on, not 10.0.0.1 80",
                "nc", "-l", "10.0.0.1", "80", "--interface-name", "nosuch0");
    }

    private static void assertRefused(String message, String... args) {
        CommandRun run = CommandRun.of(args);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).isEqualTo(message + "\n");
        assertThat(run.out()).isEmpty();
    }
}
