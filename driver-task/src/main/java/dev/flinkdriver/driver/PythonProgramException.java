package dev.flinkdriver.driver;

/**
 * A Python program that raised: its message is the traceback's last line ({@code ValueError:
 * boom}), which the application's diagnostics show; the whole traceback is in the driver's stdout
 * and stderr ({@code flink-driver logs --stderr}).
 */
public class PythonProgramException extends Exception {

    private static final long serialVersionUID = 1L;

    public PythonProgramException(String message) {
        super(message);
    }
}
