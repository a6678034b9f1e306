package org.sparselab.cli;

import org.slf4j.bridge.SLF4JBridgeHandler;
import org.sparselab.core.SparselabVersion;
import org.sparselab.core.UserException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The {@code sparselab} command. Errors a user can fix print one message and exit non-zero, never a bare stack trace. */
@Command(name = "sparselab", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Sparse coding and sparse distributed memory research framework.",
        subcommands = {RunCommand.class, ValidateCommand.class, PluginsCommand.class, DataCommand.class, ExportCommand.class,
                PredictCommand.class, ProbeCommand.class, DenoiseCommand.class, ReportCommand.class, SweepCommand.class, ToolCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit code; used by tests too. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        CommandLine cl = new CommandLine(new Main());
        // Everything after a tool's id is the tool's, even options such as --n.
        cl.getSubcommands().get("tool").setStopAtPositional(true);
        args = routeToTool(args, cl);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            Throwable t = unwrap(ex);
            if (t instanceof UserException u) {
                err.println("error: " + u.getMessage());
                err.flush();
                return u.exitCode();
            }
            err.println("error: " + describe(t));
            if (System.getenv("SPARSELAB_DEBUG") != null) {
                t.printStackTrace(err);
            } else {
                err.println("(this looks like a bug; run with SPARSELAB_DEBUG=1 for the stack trace and report it)");
            }
            err.flush();
            return 1;
        });
        return cl.execute(args);
    }

    /** Host options a tool's arguments may carry anywhere; they are the host's, never the tool's. */
    static final java.util.Set<String> HOST_OPTIONS = java.util.Set.of("--plugins", "--data", "--output", "--device");

    /**
     * {@code sparselab ID ARGS...} where ID is no built-in command becomes {@code sparselab tool ID ARGS...}; in
     * either form the host options ({@link #HOST_OPTIONS}) among the tool's arguments move before the id.
     */
    static String[] routeToTool(String[] args, CommandLine cl) {
        if (args.length == 0 || args[0].startsWith("-")) {
            return args;
        }
        boolean viaTool = args[0].equals("tool");
        if (!viaTool && cl.getSubcommands().containsKey(args[0])) {
            return args;
        }
        java.util.List<String> in = new java.util.ArrayList<>(java.util.Arrays.asList(args));
        if (viaTool) {
            in.remove(0);
        }
        java.util.List<String> host = new java.util.ArrayList<>();
        java.util.List<String> rest = new java.util.ArrayList<>();
        boolean seenId = false;
        for (int i = 0; i < in.size(); i++) {
            String a = in.get(i);
            if (a.equals("--")) {
                rest.addAll(in.subList(i, in.size()));
                break;
            }
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (HOST_OPTIONS.contains(name)) {
                host.add(a);
                if (!a.contains("=") && i + 1 < in.size()) {
                    host.add(in.get(++i));
                }
                continue;
            }
            if (!seenId && !a.startsWith("-")) {
                seenId = true;
            }
            rest.add(a);
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        out.add("tool");
        out.addAll(host);
        out.addAll(rest);
        return out.toArray(new String[0]);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while (!(c instanceof UserException) && c.getCause() != null && c.getCause() != c) {
            if (c.getCause() instanceof UserException) {
                return c.getCause();
            }
            c = c.getCause();
        }
        return c instanceof UserException ? c : t;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Version text. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"sparselab " + SparselabVersion.FRAMEWORK + " (plugin API " + SparselabVersion.API + ")"};
        }
    }
}
