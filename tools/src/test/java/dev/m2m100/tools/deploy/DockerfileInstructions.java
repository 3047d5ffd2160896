package dev.m2m100.tools.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The Dockerfile as a list of instructions: comments dropped, continuation lines joined. */
record DockerfileInstructions(List<Instruction> all) {

    /** One instruction: the keyword in upper case and the rest of the (joined) line. */
    record Instruction(String keyword, String arguments, int line) {}

    static DockerfileInstructions parse(String text) {
        List<Instruction> out = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        int start = 0;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.startsWith("#") || (line.isEmpty() && pending.isEmpty())) {
                continue; // comments may sit between continuation lines; they are not part of the instruction
            }
            if (pending.isEmpty()) {
                start = i + 1;
            }
            boolean continues = line.endsWith("\\");
            pending.append(continues ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!continues) {
                String joined = pending.toString().strip();
                pending.setLength(0);
                if (joined.isEmpty()) {
                    continue;
                }
                int space = joined.indexOf(' ');
                String keyword = (space < 0 ? joined : joined.substring(0, space)).toUpperCase(Locale.ROOT);
                String args = space < 0 ? "" : joined.substring(space + 1).strip();
                out.add(new Instruction(keyword, args, start));
            }
        }
        if (!pending.isEmpty()) {
            throw new IllegalArgumentException("Dockerfile ends inside a continued line (from line " + start + ")");
        }
        return new DockerfileInstructions(List.copyOf(out));
    }

    List<Instruction> named(String keyword) {
        return all.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** Instructions of the last stage (the image that is shipped): everything after the last FROM. */
    DockerfileInstructions finalStage() {
        int last = -1;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).keyword().equals("FROM")) {
                last = i;
            }
        }
        if (last < 0) {
            throw new IllegalStateException("Dockerfile has no FROM");
        }
        return new DockerfileInstructions(all.subList(last, all.size()));
    }

    Instruction single(String keyword) {
        List<Instruction> found = named(keyword);
        if (found.size() != 1) {
            throw new IllegalStateException("expected exactly one " + keyword + ", found " + found.size());
        }
        return found.getFirst();
    }
}
