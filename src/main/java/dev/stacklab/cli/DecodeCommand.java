package dev.stacklab.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "decode", description = "Decode a pcap or pcapng file, like tshark -r.")
final class DecodeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
