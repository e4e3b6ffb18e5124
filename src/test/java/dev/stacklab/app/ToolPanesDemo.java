package dev.stacklab.app;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import dev.stacklab.app.arp.ArpView;
import dev.stacklab.app.arp.ArpViewModel;
import dev.stacklab.app.ping.PingView;
import dev.stacklab.app.ping.PingViewModel;
import dev.stacklab.app.udp.UdpView;
import dev.stacklab.app.udp.UdpViewModel;
import dev.stacklab.runtime.LabSession;
import dev.stacklab.runtime.SimulatedLanSession;
import javafx.animation.PauseTransition;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.Scene;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import javafx.util.Duration;

import java.util.List;

/**
 * Shows the three tool panes on the simulated LAN until the shell hosts them, for a person's eyes (under Xvfb:
 * {@code java -cp ... 'dev.stacklab.app.ToolPanesDemo$Main' [dark] [ping|arp|udp|none] [drive]}); "drive" fills the fields
 * and presses the buttons so each pane shows real data.
 */
public final class ToolPanesDemo extends Application {
    @Override
    public void start(Stage stage) {
        List<String> args = getParameters().getRaw();
        Application.setUserAgentStylesheet(args.contains("dark") ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
        TestLan testLan = args.contains("testlan") ? new TestLan() : null;
        LabSession session = args.contains("none") ? null
                : args.contains("watch") ? TestLan.watchOnly("eth0 (watch only)")
                : testLan != null ? testLan : SimulatedLanSession.start();
        SimpleObjectProperty<LabSession> property = new SimpleObjectProperty<>(session);
        AppContext context = new AppContext(property, new Notifier() {
            @Override
            public void error(String problem, String fix) {
                System.out.println("ERROR " + problem + " | " + fix);
            }

            @Override
            public void info(String message) {
                System.out.println("INFO " + message);
            }
        }, filter -> System.out.println("SELECT " + filter));
        PingViewModel ping = new PingViewModel(context);
        ArpViewModel arp = new ArpViewModel(context);
        UdpViewModel udp = new UdpViewModel(context);
        TabPane tabs = new TabPane(new Tab("Ping", PingView.load(ping)), new Tab("ARP", ArpView.load(arp)),
                new Tab("UDP", UdpView.load(udp)));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        int index = args.contains("arp") ? 1 : args.contains("udp") ? 2 : 0;
        tabs.getSelectionModel().select(index);
        stage.setScene(new Scene(tabs, args.contains("narrow") ? 440 : 900, 720));
        stage.setTitle("stacklab tool panes");
        stage.setOnCloseRequest(event -> {
            if (session != null) {
                session.close();
            }
            Platform.exit();
        });
        stage.show();
        if (args.contains("drive")) {
            ping.targetProperty().set("10.0.0.1");
            ping.countProperty().set("20");
            ping.intervalProperty().set("0.2");
            ping.start();
            arp.addressProperty().set(testLan != null ? "10.0.0.1" : "10.0.0.3");
            arp.resolve();
            udp.destinationProperty().set("10.0.0.1");
            udp.payloadProperty().set("hello, echo");
            udp.send();
            PauseTransition later = new PauseTransition(Duration.seconds(1));
            later.setOnFinished(event -> {
                if (testLan != null) {
                    // A station taking the peer's address, and one taking ours: the pane's two warnings.
                    testLan.addHost("impostor", dev.stacklab.wire.Ipv4Cidr.parse("10.0.0.1/24"),
                            dev.stacklab.wire.MacAddress.parse("02:66:66:66:66:66"));
                    testLan.addHost("duplicate", dev.stacklab.wire.Ipv4Cidr.parse("10.0.0.2/24"),
                            dev.stacklab.wire.MacAddress.parse("02:77:77:77:77:77"));
                }
                udp.payloadIsHexProperty().set(true);
                udp.payloadProperty().set("de ad be ef 00 01");
                udp.send();
                arp.addressProperty().set("10.0.0.1");
                arp.resolve();
            });
            later.play();
        }
    }

    /** A main outside the Application subclass: the java launcher refuses one inside it without JavaFX modules. */
    public static final class Main {
        public static void main(String[] args) {
            Application.launch(ToolPanesDemo.class, args);
        }
    }
}
