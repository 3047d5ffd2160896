package dev.m2m100.tools.bench;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.engine.backend.Backend;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

class OpTimingBackendTest {

    /** A backend that only answers its name (nothing else may be called before the refusal). */
    private static Backend named(String name) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("name")) {
                        return name;
                    }
                    throw new AssertionError("called " + method.getName() + " on a refused backend");
                });
    }

    @Test
    void aBackendWhoseOperationsReturnBeforeTheyFinishIsRefusedNamingIt() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> new OpTimingBackend(named("cuda:0")));
        assertTrue(e.getMessage().contains("cuda:0") && e.getMessage().contains("CPU backend"), e.getMessage());
    }
}
