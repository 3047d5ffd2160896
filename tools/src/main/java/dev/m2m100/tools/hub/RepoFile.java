package dev.m2m100.tools.hub;

/**
 * One file of a hub repository revision, from the {@code siblings} of the model API with {@code blobs=true}.
 *
 * @param size   bytes, or -1 when the hub did not say
 * @param sha256 the LFS object's sha256 (hex) for files stored in LFS, else null
 * @param gitBlobId the git blob id (sha1 hex) for files stored in git itself, else null
 */
public record RepoFile(String path, long size, String sha256, String gitBlobId) {
}
