package com.northwind.eventing.admin;

import com.northwind.eventing.admin.config.AdminProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The admin API: registry management and the embedded schema registry. */
@SpringBootApplication
@EnableConfigurationProperties(AdminProperties.class)
public class AdminApiApplication {
    public static void main(String[] args) {
        SpringApplication.run(AdminApiApplication.class, args);
    }
}
