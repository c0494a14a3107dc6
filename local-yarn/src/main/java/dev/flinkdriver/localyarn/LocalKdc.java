package dev.flinkdriver.localyarn;

import org.apache.hadoop.minikdc.MiniKdc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The Kerberized local YARN's KDC: Hadoop's {@link MiniKdc} (Apache Kerby) in a JVM of its own,
 * like the other daemons. It creates the daemons' service principals (one keytab for all of them)
 * and the user principals {@code alice} and {@code bob} (a keytab each), writes {@code krb5.conf}
 * last (its presence tells {@link LocalYarnCluster} that the KDC serves) and runs until killed.
 *
 * <p>Arguments: the Kerberos directory of a {@link LocalKerberos}.
 */
public final class LocalKdc {

    private LocalKdc() {}

    public static void main(String[] args) throws Exception {
        LocalKerberos kerberos = new LocalKerberos(Path.of(args[0]));
        Files.createDirectories(kerberos.keytabDir());
        Path work = Files.createDirectories(kerberos.dir().resolve("kdc"));
        Properties conf = MiniKdc.createConf();
        conf.setProperty(MiniKdc.ORG_NAME, LocalKerberos.ORG_NAME);
        conf.setProperty(MiniKdc.ORG_DOMAIN, LocalKerberos.ORG_DOMAIN);
        MiniKdc kdc = new MiniKdc(conf, work.toFile());
        kdc.start();
        List<String> services = new ArrayList<>();
        for (String service : LocalKerberos.SERVICES) {
            services.add(service + "/" + LocalKerberos.HOST);
        }
        kdc.createPrincipal(kerberos.serviceKeytab().toFile(), services.toArray(String[]::new));
        for (String user : LocalKerberos.USERS) {
            kdc.createPrincipal(kerberos.userKeytab(user).toFile(), user);
        }
        Path tmp = kerberos.dir().resolve("krb5.conf.tmp");
        Files.copy(kdc.getKrb5conf().toPath(), tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, kerberos.krb5Conf(), StandardCopyOption.ATOMIC_MOVE);
        System.out.println("KDC of realm " + kdc.getRealm() + " serves on port " + kdc.getPort());
        Runtime.getRuntime().addShutdownHook(new Thread(kdc::stop));
        Thread.currentThread().join();
    }
}
