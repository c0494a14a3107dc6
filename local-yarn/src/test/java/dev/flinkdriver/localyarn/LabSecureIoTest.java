package dev.flinkdriver.localyarn;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.SecureIOUtils;
import org.apache.hadoop.io.nativeio.NativeIO;
import org.apache.hadoop.security.UserGroupInformation;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Keeps {@link LabSecureIo} honest: under a Kerberos UGI configuration and without Hadoop's native
 * library (this machine's, and the Kerberized local YARN's), Hadoop's own {@code SecureIOUtils}
 * cannot open a container log file, the lab NodeManager's replacement can, and the replacement has
 * Hadoop's API. When a Hadoop upgrade changes one of these, this test says which.
 */
class LabSecureIoTest {

    private static final String SECURE_IO = "org.apache.hadoop.io.SecureIOUtils";

    /** Where the build puts the replacement's classes (see local-yarn/pom.xml). */
    private static final Path LAB_CLASSES = Path.of("target", "lab-nodemanager-classes");

    @TempDir static Path dir;

    private static File log;

    @BeforeAll
    static void kerberosWithoutNativeCode() throws Exception {
        // A realm for UGI's Kerberos names; nothing here talks to a KDC.
        System.setProperty("java.security.krb5.realm", LocalKerberos.REALM);
        System.setProperty("java.security.krb5.kdc", "localhost");
        Configuration kerberos = new Configuration(false);
        kerberos.set("hadoop.security.authentication", "kerberos");
        UserGroupInformation.setConfiguration(kerberos);
        assertThat(UserGroupInformation.isSecurityEnabled()).isTrue();
        assertThat(NativeIO.isAvailable())
                .as("Hadoop's native library, which the Kerberized local YARN assumes absent")
                .isFalse();
        log = Files.writeString(dir.resolve("taskmanager.out"), "what main() printed\n").toFile();
    }

    @AfterAll
    static void simpleAgain() {
        UserGroupInformation.setConfiguration(new Configuration(false));
    }

    @Test
    void hadoopsSecureIoCannotOpenAContainerLogUnderKerberosWithoutNativeCode() {
        Throwable t = catchThrowable(() -> SecureIOUtils.openForRead(log, "alice", null).close());
        assertThat(t)
                .as(
                        "Hadoop's SecureIOUtils opened a container log under Kerberos without native"
                                + " code: the lab NodeManager may no longer need LabSecureIo")
                .isNotNull();
        assertThat(rootCause(t))
                .hasMessageContaining("Secure IO is not possible without native code extensions");
    }

    @Test
    void theLabNodeManagersSecureIoOpensItWithoutTheOwnerCheck() throws Exception {
        try (LabFirst lab = new LabFirst()) {
            Method openForRead =
                    lab.loadClass(SECURE_IO)
                            .getMethod("openForRead", File.class, String.class, String.class);
            // The file belongs to this process's OS user, never to alice (as on the local YARN).
            try (InputStream in = (InputStream) openForRead.invoke(null, log, "alice", null)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("what main() printed\n");
            }
        }
    }

    @Test
    void theLabNodeManagersSecureIoHasHadoopsApi() throws Exception {
        try (LabFirst lab = new LabFirst()) {
            Class<?> hadoops = Class.forName(SECURE_IO, false, getClass().getClassLoader());
            Class<?> labs = lab.loadClass(SECURE_IO);
            assertThat(labs).isNotSameAs(hadoops);
            assertThat(api(labs)).as("the replacement's API").isEqualTo(api(hadoops));
        }
    }

    /** Public and protected methods and member classes, as signatures. */
    private static Set<String> api(Class<?> c) {
        Set<String> api = new TreeSet<>();
        for (Method m : c.getDeclaredMethods()) {
            if ((m.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED)) != 0) {
                api.add(
                        Modifier.toString(m.getModifiers())
                                + " "
                                + m.getReturnType().getName()
                                + " "
                                + m.getName()
                                + Arrays.toString(m.getParameterTypes())
                                + Arrays.toString(m.getExceptionTypes()));
            }
        }
        for (Class<?> member : c.getDeclaredClasses()) {
            api.add(Modifier.toString(member.getModifiers()) + " class " + member.getName());
        }
        return api;
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The lab NodeManager's class path order: the replacement before Hadoop's jars. */
    private static final class LabFirst extends URLClassLoader {

        LabFirst() throws Exception {
            super(
                    new URL[] {LAB_CLASSES.toAbsolutePath().toUri().toURL()},
                    LabSecureIoTest.class.getClassLoader());
            assertThat(LAB_CLASSES.resolve("org/apache/hadoop/io/SecureIOUtils.class"))
                    .as("the replacement, built by the module's process-classes phase")
                    .exists();
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(SECURE_IO)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                return c != null ? c : findClass(name);
            }
        }
    }
}
