package org.leantrain.examples;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code leantrain} command: one subcommand per technique. */
@Command(name = "leantrain", mixinStandardHelpOptions = true, version = "leantrain 0.1.0-SNAPSHOT",
        description = "Reference implementations of efficient-training techniques; each subcommand runs one.",
        subcommands = {MnistMlpCommand.class, MnistCnnCommand.class, CharLmCommand.class, EbmCommand.class, GpipeCommand.class, GpipeConfigCommand.class, ReversibleCommand.class, LstmDropoutCommand.class, NegcacheCommand.class, AdabetCommand.class, NsdeCommand.class, NodeCommand.class, MolerCommand.class,
                CommandLine.HelpCommand.class})
public final class LeantrainCli implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine(LeantrainCli.class).execute(args));
    }

    /** A picocli command line whose failures print one clear line instead of a stack trace. */
    public static CommandLine commandLine(Class<?> root) {
        CommandLine cli = new CommandLine(root);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + explain(e));
            if (Boolean.getBoolean("leantrain.stacktrace")) {
                e.printStackTrace(cmd.getErr());
            } else {
                cmd.getErr().println("(run with -Dleantrain.stacktrace=true for the stack trace)");
            }
            return 1;
        });
        return cli;
    }

    static String explain(Exception e) {
        if (e instanceof NoSuchFileException missing) {
            return "file not found: " + missing.getFile() + (missing.getReason() == null ? "" : " (" + missing.getReason() + ")");
        }
        if (e instanceof IOException || e instanceof IllegalArgumentException || e instanceof ArithmeticException
                || e instanceof IllegalStateException) {
            return e.getMessage();
        }
        return e.toString();
    }
}
