package dev.flinkdriver.client;

import dev.flinkdriver.sql.SqlScriptDriver;
import dev.flinkdriver.sql.SqlStatement;
import dev.flinkdriver.sql.SqlSyntax;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * {@code run -D --sql <script>}: the script, checked with Flink's parser before anything is
 * deployed, and the application that runs it ({@link SqlScriptDriver} as main class).
 *
 * <p>The application jar holds no classes: a manifest naming the main class, which the driver job's
 * user class loader finds in lib/ on a cluster of the application's own and in the driver-sql jar
 * that travels with the driver job to an existing cluster ({@code -m}, {@code -yid}), and the
 * script itself, which the driver reads from its class path ({@link
 * SqlScriptDriver#scriptResource}): no cluster needs the script as a file. On YARN the script is
 * shipped like a {@code --file} too, into the working directory of main().
 */
final class SqlScriptSubmission {

    private final Path script;
    private final Path launcherJar;

    private SqlScriptSubmission(Path script, Path launcherJar) {
        this.script = script;
        this.launcherJar = launcherJar;
    }

    /** Refuses a missing, unreadable, empty or syntactically wrong script (exit code 2). */
    static SqlScriptSubmission prepare(String path, Path workDir) throws Exception {
        Path script = check(path);
        Files.createDirectories(workDir);
        Path jar = Files.createTempFile(workDir, "sql-driver-", ".jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass());
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            jarOut.putNextEntry(
                    new JarEntry(SqlScriptDriver.scriptResource(script.getFileName().toString())));
            Files.copy(script, jarOut);
            jarOut.closeEntry();
        }
        return new SqlScriptSubmission(script, jar);
    }

    /** The script, readable, with at least one statement and no syntax error. */
    static Path check(String path) throws CliException {
        Path script = Path.of(path).toAbsolutePath();
        String text;
        try {
            if (!Files.isRegularFile(script)) {
                throw new IOException("not a file");
            }
            text = Files.readString(script, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw CliException.usage("The SQL script " + path + " is not UTF-8 text");
        } catch (IOException e) {
            throw CliException.usage("The SQL script " + path + " does not exist or is unreadable");
        }
        SqlSyntax syntax = SqlSyntax.standalone();
        List<SqlStatement> statements = syntax.statements(text);
        if (statements.isEmpty()) {
            throw CliException.usage("The SQL script " + path + " holds no SQL statement");
        }
        Optional<SqlSyntax.SyntaxError> error = syntax.firstSyntaxError(statements);
        if (error.isPresent()) {
            SqlSyntax.SyntaxError e = error.get();
            throw CliException.usage(
                    "Syntax error in the SQL script "
                            + path
                            + " at line "
                            + e.line()
                            + ", column "
                            + e.column()
                            + ": "
                            + e.message().replaceFirst(" at line \\d+, column \\d+\\.?", ""));
        }
        return script;
    }

    static String mainClass() {
        return SqlScriptDriver.class.getName();
    }

    Path script() {
        return script;
    }

    Path launcherJar() {
        return launcherJar;
    }

    /** main()'s arguments: the script's name in the driver's working directory. */
    List<String> programArgs() {
        return List.of(script.getFileName().toString());
    }

    void delete() throws IOException {
        Files.deleteIfExists(launcherJar);
    }
}
