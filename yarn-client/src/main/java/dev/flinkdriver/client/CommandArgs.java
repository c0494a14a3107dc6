package dev.flinkdriver.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The few flags of status, list and cancel; anything else is a usage error. */
record CommandArgs(List<String> positional, Set<String> flags, Map<String, String> values) {

    static CommandArgs parse(String[] args, List<String> knownFlags, List<String> knownValued)
            throws CliException {
        List<String> positional = new ArrayList<>();
        Set<String> flags = new HashSet<>();
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (knownFlags.contains(a)) {
                flags.add(a);
            } else if (knownValued.contains(a)) {
                if (i + 1 >= args.length) {
                    throw CliException.usage(a + " needs a value");
                }
                values.put(a, args[++i]);
            } else if (a.startsWith("-")) {
                throw CliException.usage("Unknown option " + a);
            } else {
                positional.add(a);
            }
        }
        String output = values.get("--output");
        if (output != null && !output.equals("json") && !output.equals("text")) {
            throw CliException.usage("--output must be json or text, not " + output);
        }
        return new CommandArgs(positional, flags, values);
    }

    boolean has(String flag) {
        return flags.contains(flag);
    }

    boolean json() {
        return "json".equals(values.get("--output"));
    }
}
