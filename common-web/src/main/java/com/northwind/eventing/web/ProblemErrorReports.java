package com.northwind.eventing.web;

import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Makes {@link ProblemErrorReportValve} the only error report of the embedded Tomcat, and takes away the error pages
 * (Spring Boot's forward to {@code /error}), so that every error the container answers itself is a problem. Runs
 * after Spring Boot's own customizer, which installs Tomcat's HTML valve.
 */
public final class ProblemErrorReports implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {
    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            for (ErrorPage page : context.findErrorPages()) {
                context.removeErrorPage(page);
            }
            if (context.getParent() instanceof StandardHost host) {
                Pipeline pipeline = host.getPipeline();
                for (Valve valve : pipeline.getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        pipeline.removeValve(valve);
                    }
                }
                // Tomcat adds a valve of this class when it finds none at start; it finds ours.
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                pipeline.addValve(new ProblemErrorReportValve());
            }
        });
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
