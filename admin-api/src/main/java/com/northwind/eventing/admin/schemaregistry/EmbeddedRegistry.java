package com.northwind.eventing.admin.schemaregistry;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;

/**
 * Marks the beans of the embedded schema registry: they exist unless {@code eventing.schema-registry.url} names an
 * external (Confluent) registry, in which case admin-api serves no registry endpoints at all.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ConditionalOnExpression("'${eventing.schema-registry.url:}'.isBlank()")
@interface EmbeddedRegistry {}
