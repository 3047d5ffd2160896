package dev.m2m100.tools.hub;

import java.util.Map;

/** A model repository at one revision: the commit it resolved to and its files by path. */
public record RepoInfo(String modelId, String revision, String commit, Map<String, RepoFile> files) {

    public RepoInfo {
        files = Map.copyOf(files);
    }

    public boolean has(String path) {
        return files.containsKey(path);
    }
}
