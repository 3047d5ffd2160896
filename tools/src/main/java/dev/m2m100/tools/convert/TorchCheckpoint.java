package dev.m2m100.tools.convert;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A PyTorch checkpoint in the zip format of {@code torch.save} (torch ≥ 1.6): {@code <root>/data.pkl}
 * describes the state dict, {@code <root>/data/<key>} holds each storage's raw bytes. Storages are read as
 * streams, never whole.
 */
public final class TorchCheckpoint implements AutoCloseable {

    private final Path path;
    private final ZipFile zip;
    private final String root;
    private final Map<String, TensorRef> tensors;

    private TorchCheckpoint(Path path, ZipFile zip, String root, Map<String, TensorRef> tensors) {
        this.path = path;
        this.zip = zip;
        this.root = root;
        this.tensors = tensors;
    }

    /** Opens {@code file} and unpickles its state dict with the restricted unpickler. */
    public static TorchCheckpoint open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such checkpoint file");
        }
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            byte[] head = new byte[2];
            try (InputStream in = Files.newInputStream(file)) {
                in.readNBytes(head, 0, 2);
            }
            if ((head[0] & 0xff) == 0x80) {
                throw new IOException(file + " is a legacy (pre-1.6, non-zip) torch.save file; only the zip"
                        + " format is supported (re-save it with torch >= 1.6)", e);
            }
            throw new IOException(file + " is not a PyTorch zip checkpoint: " + e.getMessage(), e);
        }
        try {
            String root = findRoot(zip, file);
            ZipEntry byteorder = zip.getEntry(root + "byteorder");
            if (byteorder != null) {
                try (InputStream in = zip.getInputStream(byteorder)) {
                    String order = new String(in.readNBytes(16), StandardCharsets.US_ASCII).trim();
                    if (!order.equals("little")) {
                        throw new IOException(file + " stores tensors in '" + order + "' byte order; only little-endian is supported");
                    }
                }
            }
            byte[] pickle;
            try (InputStream in = zip.getInputStream(zip.getEntry(root + "data.pkl"))) {
                pickle = in.readAllBytes();
            }
            Map<String, TensorRef> tensors = RestrictedUnpickler.readStateDict(pickle, file + " (data.pkl)");
            return new TorchCheckpoint(file, zip, root, tensors);
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    private static String findRoot(ZipFile zip, Path file) throws IOException {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                return name.substring(0, name.length() - "data.pkl".length());
            }
        }
        throw new IOException(file + " is a zip file but has no <name>/data.pkl: not a torch.save checkpoint");
    }

    public Path path() {
        return path;
    }

    /** The state dict, in the checkpoint's order. */
    public Map<String, TensorRef> tensors() {
        return tensors;
    }

    /** Byte length of a storage in the archive, checked to exist. */
    public long storageBytes(String key) throws IOException {
        return entry(key).getSize();
    }

    /** A stream over a storage's raw bytes, from its start. */
    public InputStream openStorage(String key) throws IOException {
        return zip.getInputStream(entry(key));
    }

    private ZipEntry entry(String key) throws IOException {
        ZipEntry e = zip.getEntry(root + "data/" + key);
        if (e == null) {
            throw new IOException(path + " has no storage data/" + key + " although data.pkl refers to it");
        }
        return e;
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
