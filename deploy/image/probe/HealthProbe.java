import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The images' health check: exits 0 when the URL answers 200, 1 otherwise. The images have no shell, curl or wget
 * (nothing but the Java runtime), so docker-compose's healthchecks run this with the image's own java. Prints
 * nothing on success and only the status or the exception's class on failure: a health answer holds no event data,
 * but nothing here needs to be logged either.
 */
public final class HealthProbe {
    private HealthProbe() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: java -cp /opt/eventing/probe HealthProbe <url>");
            System.exit(2);
        }
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(args[0]).toURL().openConnection();
            connection.setConnectTimeout(2_000);
            connection.setReadTimeout(3_000);
            int status = connection.getResponseCode();
            connection.disconnect();
            if (status != 200) {
                System.err.println("HTTP " + status);
                System.exit(1);
            }
        } catch (Exception e) {
            System.err.println(e.getClass().getName());
            System.exit(1);
        }
    }
}
