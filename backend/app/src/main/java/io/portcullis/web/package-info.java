/**
 * The web shell: the base layout and navigation, the home page, error pages, and what every response needs (htmx's
 * {@code Vary} header, request ids and the tenant in the logs).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Web shell")
package io.portcullis.web;
