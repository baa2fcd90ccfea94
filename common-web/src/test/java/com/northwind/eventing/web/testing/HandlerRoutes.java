package com.northwind.eventing.web.testing;

import java.util.Set;
import java.util.TreeSet;
import org.springframework.context.ApplicationContext;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.function.support.RouterFunctionMapping;
import org.springframework.web.servlet.handler.AbstractUrlHandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/** What a Spring MVC application serves, read from its handler mappings: for the route allow-list tests. */
public final class HandlerRoutes {
    private HandlerRoutes() {}

    /** "METHOD pattern" for every handler any of Spring's handler mappings holds; no method means any ("*"). */
    public static Set<String> of(ApplicationContext context) {
        Set<String> routes = new TreeSet<>();
        for (HandlerMapping mapping :
                context.getBeansOfType(HandlerMapping.class).values()) {
            if (mapping instanceof RequestMappingInfoHandlerMapping m) {
                for (RequestMappingInfo info : m.getHandlerMethods().keySet()) {
                    Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                    for (String pattern : info.getPathPatternsCondition().getPatternValues()) {
                        if (methods.isEmpty()) {
                            routes.add("* " + pattern);
                        }
                        methods.forEach(method -> routes.add(method.name() + " " + pattern));
                    }
                }
            } else if (mapping instanceof AbstractUrlHandlerMapping m) {
                m.getHandlerMap().keySet().forEach(pattern -> routes.add("* " + pattern));
                if (m.getRootHandler() != null) {
                    routes.add("* /");
                }
            } else if (mapping instanceof RouterFunctionMapping m) {
                if (m.getRouterFunction() != null) {
                    routes.add("* router function " + m.getRouterFunction());
                }
            }
        }
        return routes;
    }
}
