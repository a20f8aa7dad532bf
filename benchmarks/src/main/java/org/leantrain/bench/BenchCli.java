package org.leantrain.bench;

import org.leantrain.examples.LeantrainCli;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code leantrain-bench}: one subcommand per benchmark; each prints technique, baseline and ratio. */
@Command(name = "leantrain-bench", mixinStandardHelpOptions = true, version = "leantrain-bench 0.1.0-SNAPSHOT",
        description = "Benchmarks: each subcommand measures a technique against its baseline in one run.",
        subcommands = {CoreBench.class, EbmBench.class, GpipeBench.class, ReversibleBench.class, LstmDropoutBench.class, NegcacheBench.class, AdabetBench.class, NsdeBench.class, NodeBench.class, MolerBench.class, CommandLine.HelpCommand.class})
public final class BenchCli implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(LeantrainCli.commandLine(BenchCli.class).execute(args));
    }
}
