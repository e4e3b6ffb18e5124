package dev.stacklab.app.tcp;

import dev.stacklab.app.TestContext;
import dev.stacklab.app.TestInbox;
import dev.stacklab.app.TestLan;
import dev.stacklab.app.TestPatience;
import dev.stacklab.app.tcp.TcpViewModel.Connection;
import dev.stacklab.app.tcp.TcpViewModel.TcbField;
import dev.stacklab.runtime.TcpSocket;
import dev.stacklab.stack.tcp.TcpState;
import dev.stacklab.wire.Ipv4Address;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The TCP pane's view-model against a real stack: a connection to the peer's TCP echo (RFC 862), its states and TCB. */
class TcpViewModelTest {
    private final TestLan lan = new TestLan();
    private final TestContext app = new TestContext(lan);
    private final TestInbox ui = new TestInbox();
    private final TcpViewModel vm = new TcpViewModel(app.context, ui.pump());

    @AfterEach
    void close() {
        lan.close();
    }

    private Connection connectTo(String host, String port) {
        vm.hostProperty().set(host);
        vm.portProperty().set(port);
        vm.connect();
        ui.awaitUntil("the connection established", () -> vm.selectedProperty().get() != null
                && vm.selectedProperty().get().stateProperty().get() == TcpState.ESTABLISHED
                && vm.selectedCanSendProperty().get());
        return vm.selectedProperty().get();
    }

    @Test
    void theHostFieldStartsWithTheSessionsPeerAndThePortWith80() {
        assertThat(vm.portProperty().get()).isEqualTo("80");
        assertThat(vm.availableBinding().get()).isTrue();
    }

    @Test
    void anEchoConnectionGoesThroughTheHandshakeTheDataAndTheActiveClose() {
        Connection connection = connectTo("10.0.0.1", "7");

        assertThat(connection.states()).containsExactly(TcpState.CLOSED, TcpState.SYN_SENT, TcpState.ESTABLISHED);
        assertThat(connection.endpoints().remoteAddress()).isEqualTo(Ipv4Address.parse("10.0.0.1"));
        assertThat(connection.endpoints().remotePort()).isEqualTo(7);
        assertThat(vm.connections()).containsExactly(connection);
        assertThat(vm.resultProperty().get()).isEqualTo("Connected to 10.0.0.1:7 from port "
                + connection.endpoints().localPort());

        vm.payloadProperty().set("hello, tcp echo");
        vm.send();
        ui.awaitUntil("the echo", () -> connection.receivedProperty().get().equals("hello, tcp echo"));
        ui.awaitUntil("the sent result", () -> vm.resultProperty().get() != null
                && vm.resultProperty().get().startsWith("Sent 15 bytes"));
        List<TcbField> tcb = TcpViewModel.tcbFields(connection.snapshotProperty().get());
        assertThat(tcb).extracting(TcbField::name).containsExactly("State", "SND.UNA", "SND.NXT", "SND.WND", "ISS",
                "RCV.NXT", "RCV.WND", "IRS", "cwnd", "ssthresh", "SRTT", "RTTVAR", "RTO", "In flight");
        assertThat(tcb).allSatisfy(field -> assertThat(field.meaning()).isNotBlank());
        long iss = Long.parseLong(tcb.get(4).value());
        long sndNext = Long.parseLong(tcb.get(2).value());
        assertThat((sndNext - iss) & 0xFFFF_FFFFL).as("SND.NXT - ISS: the SYN and 15 octets").isEqualTo(16);
        // The echo acknowledges our data: the grid's last word is a TCB with nothing in flight, not the one
        // read just after the write (which may answer later).
        ui.awaitUntil("SND.UNA = SND.NXT", () -> {
            List<TcbField> now = TcpViewModel.tcbFields(connection.snapshotProperty().get());
            return now.get(1).value().equals(now.get(2).value());
        });

        vm.close();
        ui.awaitUntil("TIME-WAIT", () -> connection.stateProperty().get() == TcpState.TIME_WAIT);
        List<TcpState> afterEstablished = connection.states().subList(3, connection.states().size());
        // The echo server closes when it sees our FIN: its FIN may come with the ACK of ours or after it.
        assertThat(afterEstablished.get(0)).isEqualTo(TcpState.FIN_WAIT_1);
        assertThat(afterEstablished.get(afterEstablished.size() - 1)).isEqualTo(TcpState.TIME_WAIT);
        assertThat(afterEstablished).isSubsetOf(TcpState.FIN_WAIT_1, TcpState.FIN_WAIT_2, TcpState.CLOSING,
                TcpState.TIME_WAIT);
        assertThat(vm.selectedCanSendProperty().get()).as("no sending after our FIN").isFalse();
        assertThat(vm.messageProperty().get()).isNull();
    }

    @Test
    void withReadingOffTheEchoWaitsInTheReceiveBufferUntilRead() {
        Connection connection = connectTo("10.0.0.1", "7");
        vm.autoReadProperty().set(false);
        assertThat(vm.resultProperty().get()).startsWith("Not reading #");
        ui.awaitUntil("the reader waiting for Read", connection::readingParked);
        long windowBefore = connection.snapshotProperty().get().receiveWindow();
        vm.payloadProperty().set("held in the buffer");
        vm.send();
        // The echo arrives and is acknowledged (RCV.NXT moves on), but the application has not taken it.
        ui.awaitUntil("the echo in our receive buffer", () -> {
            var tcb = connection.snapshotProperty().get();
            return ((tcb.receiveNext().bits() - tcb.initialReceiveSequence().bits()) & 0xFFFF_FFFFL) == 1 + 18;
        });
        assertThat(connection.receivedProperty().get()).isEmpty();
        ui.awaitUntil("the window smaller by what waits", () ->
                connection.snapshotProperty().get().receiveWindow() <= windowBefore - 18);
        // The send's own result comes from its worker, which a loaded machine can leave behind the echo and
        // the Read below: arriving late, it must not replace the read's result.
        vm.read();
        ui.awaitUntil("the echo read", () -> connection.receivedProperty().get().equals("held in the buffer"));
        assertThat(vm.resultProperty().get()).isEqualTo("Read 18 bytes from #" + connection.id());
        ui.awaitUntil("parked again after one read", connection::readingParked);
        vm.autoReadProperty().set(true);
        vm.payloadProperty().set(" and more");
        vm.send();
        ui.awaitUntil("read at once again", () -> connection.receivedProperty().get().equals("held in the buffer and more"));
    }

    @Test
    void nagleAndDelayedAckSwitchesApplyToTheChosenConnectionAndFollowIt() {
        Connection first = connectTo("10.0.0.1", "7");
        vm.nagleProperty().set(false);
        ui.awaitUntil("Nagle off", () -> ("Nagle's algorithm off for #" + first.id()).equals(vm.resultProperty().get()));
        vm.delayedAckProperty().set(false);
        ui.awaitUntil("delayed ACKs off", () -> ("Delayed ACKs off for #" + first.id()).equals(vm.resultProperty().get()));
        // A new connection takes the switches as they are; choosing the first again shows its own.
        vm.portProperty().set("9");
        vm.connect();
        ui.awaitUntil("the second connection chosen", () -> vm.selectedProperty().get() != first
                && vm.selectedProperty().get() != null && vm.selectedCanSendProperty().get());
        Connection second = vm.selectedProperty().get();
        assertThat(vm.nagleProperty().get()).isFalse();
        vm.nagleProperty().set(true);
        vm.selectedProperty().set(first);
        assertThat(vm.nagleProperty().get()).as("the first connection's own setting").isFalse();
        assertThat(vm.delayedAckProperty().get()).isFalse();
        vm.selectedProperty().set(second);
        assertThat(vm.nagleProperty().get()).isTrue();
        // Without delayed ACKs the echo's data is acknowledged at once: every byte echoed still arrives.
        vm.selectedProperty().set(first);
        vm.payloadProperty().set("a\\tb\\r\\n");
        vm.send();
        ui.awaitUntil("the echo, escapes sent as characters", () -> first.receivedProperty().get().equals("a\tb\r\n"));
        assertThat(vm.messageProperty().get()).isNull();
    }

    @Test
    void escapesInTheTextAreSentAsTheCharactersTheyName() {
        assertThat(TcpViewModel.unescape("GET / HTTP/1.0\\r\\n\\r\\n")).isEqualTo("GET / HTTP/1.0\r\n\r\n");
        assertThat(TcpViewModel.unescape("tab\\there, a \\\\ and \\x stays")).isEqualTo("tab\there, a \\ and \\x stays");
        assertThat(TcpViewModel.unescape("ends with \\")).isEqualTo("ends with \\");
    }

    @Test
    void theTcbVariablesAStepChangedAreMarked() {
        Connection connection = connectTo("10.0.0.1", "7");
        var before = connection.snapshotProperty().get();
        vm.payloadProperty().set("x");
        vm.send();
        ui.awaitUntil("the echo", () -> connection.receivedProperty().get().equals("x"));
        var after = connection.snapshotProperty().get();
        List<Boolean> changed = TcpViewModel.changedTcbFields(before, after);
        List<String> names = TcpViewModel.tcbFields(after).stream().map(TcbField::name).toList();
        assertThat(changed.get(names.indexOf("SND.NXT"))).as("one more octet sent").isTrue();
        assertThat(changed.get(names.indexOf("RCV.NXT"))).as("one more octet received").isTrue();
        assertThat(changed.get(names.indexOf("ISS"))).isFalse();
        assertThat(changed.get(names.indexOf("State"))).isFalse();
        assertThat(TcpViewModel.changedTcbFields(null, after)).containsOnly(false);
        assertThat(TcpViewModel.changedTcbFields(after, after)).containsOnly(false);
    }

    @Test
    void abortSendsARstAndTheConnectionIsClosedAtOnce() {
        Connection connection = connectTo("10.0.0.1", "9");
        vm.abort();
        ui.awaitUntil("CLOSED", () -> connection.stateProperty().get() == TcpState.CLOSED);
        assertThat(connection.closeReasonProperty().get()).isEqualTo("connection aborted");
        assertThat(connection.states()).endsWith(TcpState.ESTABLISHED, TcpState.CLOSED);
    }

    @Test
    void aConnectionToTheListeningPortIsAcceptedAndShown() throws Exception {
        vm.listenPortProperty().set("8080");
        vm.listen();
        ui.awaitUntil("listening", () -> vm.listeningPortProperty().get() == 8080);
        Thread client = new Thread(() -> {
            try (TcpSocket socket = TcpSocket.connect(lan.peer().runner(), Ipv4Address.parse("10.0.0.2"), 8080,
                    TestPatience.WAIT)) {
                socket.getOutputStream().write("from the peer".getBytes(StandardCharsets.US_ASCII));
                socket.getInputStream().read();
            } catch (Exception e) {
                // The test's assertions say what went wrong.
            }
        });
        client.setDaemon(true);
        client.start();
        ui.awaitUntil("the accepted connection's text", () -> vm.selectedProperty().get() != null
                && vm.selectedProperty().get().receivedProperty().get().equals("from the peer"));
        Connection accepted = vm.selectedProperty().get();
        assertThat(accepted.states()).containsSubsequence(TcpState.LISTEN, TcpState.SYN_RECEIVED, TcpState.ESTABLISHED);
        assertThat(accepted.endpoints().localPort()).isEqualTo(8080);
        vm.stopListening();
        assertThat(vm.listeningPortProperty().get()).isEqualTo(-1);
    }

    @Test
    void badInputIsAMessageNeverAnException() {
        vm.hostProperty().set("");
        vm.connect();
        assertThat(vm.messageProperty().get()).contains("Host");
        vm.hostProperty().set("10.0.0.300");
        vm.connect();
        assertThat(vm.messageProperty().get()).contains("Host").contains("10.0.0.300");
        vm.hostProperty().set("10.0.0.1");
        vm.portProperty().set("70000");
        vm.connect();
        assertThat(vm.messageProperty().get()).contains("Port").contains("70000");
        vm.listenPortProperty().set("abc");
        vm.listen();
        assertThat(vm.messageProperty().get()).contains("Listen port").contains("abc");
        vm.send();
        assertThat(vm.messageProperty().get()).startsWith("Choose a connection");
        assertThat(vm.connections()).isEmpty();
    }

    @Test
    void aRefusedConnectionIsAMessage() {
        vm.hostProperty().set("10.0.0.1");
        vm.portProperty().set("81");
        vm.connect();
        ui.awaitUntil("the refusal", () -> vm.messageProperty().get() != null);
        assertThat(vm.messageProperty().get()).isEqualTo("Connect to 10.0.0.1:81: connection refused by 10.0.0.1:81");
        ui.awaitUntil("the closed row", () -> !vm.connections().isEmpty()
                && vm.connections().get(0).stateProperty().get() == TcpState.CLOSED);
        assertThat(vm.connections().get(0).closeReasonProperty().get()).isEqualTo("connection refused");
    }
}
