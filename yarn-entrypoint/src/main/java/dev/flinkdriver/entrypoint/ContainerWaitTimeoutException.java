package dev.flinkdriver.entrypoint;

/**
 * YARN granted a driver application no TaskManager container of a kind it needs within {@code
 * driver.container-wait-timeout}; the message says which queue, what was asked and what was left.
 */
public final class ContainerWaitTimeoutException extends Exception {

    private static final long serialVersionUID = 1L;

    ContainerWaitTimeoutException(String message) {
        super(message);
    }
}
