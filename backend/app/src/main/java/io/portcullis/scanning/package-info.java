/**
 * Scanning: keeps every image under watch. New digests found by discovery (or named by a push event) are queued as scan
 * jobs on the shared queue; a worker pulls the image's layers within the registry's limits, analyses each layer once for
 * every tenant (the layer cache in PostgreSQL), stores the inventory and matches it. Jobs retry with backoff; a final
 * failure records its reason on the image. Each tenant sees its scans, and which images miss its freshness objectives.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Scanning")
package io.portcullis.scanning;
