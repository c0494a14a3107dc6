# Sourced by the launchers in bin/: the Java 17 module flags Flink and Hadoop need, filled in from
# the build's jdk17.flags (pom.xml), their only home.
# shellcheck disable=SC2034
JDK17_FLAGS="@jdk17.flags@"
