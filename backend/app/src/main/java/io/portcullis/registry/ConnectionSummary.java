package io.portcullis.registry;

/** A connection with what discovery currently knows of it (gone repositories, images and tags not counted). */
public record ConnectionSummary(Connection connection, long repositories, long images, long tags) {}
