package dev.m2m100.tools.hub;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a download folder, held while files are written into it, so that two processes sharing a
 * volume (two pods starting together on one PersistentVolumeClaim) never append to the same {@code .part} file
 * or convert into the same file at once: the second waits, then finds the files complete. The lock is an OS file
 * lock ({@code fcntl} on Linux), released when the process dies; the small lock file itself stays.
 */
final class FolderLock implements AutoCloseable {

    static final String FILE = ".m2m100-download.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code dir} (which must exist), waiting for another process's download to finish first. */
    static FolderLock acquire(Path dir, PrintStream log) throws IOException {
        Path file = dir.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                log.println("another process is downloading into " + dir + " (it holds " + file + "): waiting for it");
                lock = channel.lock();
            }
            return new FolderLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new IOException("another download into " + dir + " is running in this process", e);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
