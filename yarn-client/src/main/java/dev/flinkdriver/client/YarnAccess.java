package dev.flinkdriver.client;

import org.apache.hadoop.security.AccessControlException;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.yarn.api.records.ApplicationReport;

import java.io.IOException;

/**
 * Who the client is to YARN (its Kerberos or OS user) and what YARN's application ACLs let it do
 * with someone else's application: YARN answers a user outside {@code yarn.view.acls} with a report
 * whose details are "N/A", and refuses a kill from a user outside {@code yarn.modify.acls}.
 */
final class YarnAccess {

    /** What YARN puts in place of the details a user may not view. */
    private static final String UNAVAILABLE = "N/A";

    private YarnAccess() {}

    static String currentUser() throws IOException {
        return UserGroupInformation.getCurrentUser().getShortUserName();
    }

    static boolean isOwner(ApplicationReport report) throws IOException {
        return currentUser().equals(report.getUser());
    }

    /** Whether YARN hid the application's details from the current user (no VIEW_APP access). */
    static boolean detailsHidden(ApplicationReport report) throws IOException {
        return !isOwner(report)
                && UNAVAILABLE.equals(report.getDiagnostics())
                && UNAVAILABLE.equals(report.getTrackingUrl())
                && UNAVAILABLE.equals(report.getHost());
    }

    static CliException viewRefused(ApplicationReport report) throws IOException {
        return new CliException(
                CliException.FAILURE,
                currentUser()
                        + " may not view the details of "
                        + report.getApplicationId()
                        + " of "
                        + report.getUser()
                        + ": not in its view ACL (the owner grants it with -Dyarn.view.acls="
                        + currentUser()
                        + ")");
    }

    /** YARN's refusal of a kill as one line, or null when {@code e} is not one. */
    static CliException modifyRefused(ApplicationReport report, Exception e) throws IOException {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // YARN sends its AccessControlException as a YarnException's message.
            if (t instanceof AccessControlException
                    || String.valueOf(t.getMessage()).contains("operation MODIFY_APP")) {
                return new CliException(
                        CliException.FAILURE,
                        currentUser()
                                + " may not cancel "
                                + report.getApplicationId()
                                + " of "
                                + report.getUser()
                                + ": not in its modify ACL, YARN refused MODIFY_APP (the owner"
                                + " grants it with -Dyarn.modify.acls="
                                + currentUser()
                                + ")",
                        e);
            }
        }
        return null;
    }
}
