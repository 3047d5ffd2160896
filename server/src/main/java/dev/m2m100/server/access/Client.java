package dev.m2m100.server.access;

/**
 * Who sent a request, as far as the service needs to know: {@code key-N} (the N-th configured API key) when
 * keys are configured, else the client's address. Never the key itself: this goes to logs, to rate limiting
 * and to the scheduler's per-client fairness.
 */
public record Client(String id) {}
