package com.northwind.eventing.intake.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors;
import com.google.protobuf.WireFormat;
import com.northwind.eventing.common.json.JsonLocator;
import com.northwind.eventing.common.json.StrictText;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds the string field of a protobuf message that is not UTF-8, by walking its wire format with the message's
 * descriptor: for naming it in the answer to a message that did not parse. Only for messages already refused.
 */
final class ProtoStrings {
    private ProtoStrings() {}

    /**
     * The first string field of the message whose bytes are not UTF-8, as its JSON Pointer (the fields' JSON names, a
     * repeated field's index) and what is wrong there; inside a field named {@code body}, which holds JSON, down to the
     * member. Null when every string is UTF-8 or the bytes are no message of the type.
     */
    static String[] invalidUtf8(Descriptors.Descriptor type, byte[] message) {
        try {
            return invalidUtf8(type, CodedInputStream.newInstance(message), "");
        } catch (IOException | RuntimeException e) {
            // Not a message of this type at all: nothing to name.
            return null;
        }
    }

    private static String[] invalidUtf8(Descriptors.Descriptor type, CodedInputStream in, String prefix)
            throws IOException {
        Map<Integer, Integer> seen = new HashMap<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            Descriptors.FieldDescriptor field = type.findFieldByNumber(WireFormat.getTagFieldNumber(tag));
            if (field == null || WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                in.skipField(tag);
                continue;
            }
            int index = seen.merge(field.getNumber(), 1, Integer::sum) - 1;
            String pointer = prefix + "/" + field.getJsonName() + (field.isRepeated() ? "/" + index : "");
            ByteString value = in.readBytes();
            if (field.getType() == Descriptors.FieldDescriptor.Type.STRING && !value.isValidUtf8()) {
                byte[] bytes = value.toByteArray();
                long at = StrictText.scan(bytes);
                if (at < 0) {
                    // protobuf and the platform disagree on what UTF-8 is: name the field without a place in it.
                    return new String[] {pointer, "invalid UTF-8"};
                }
                String inside = field.getName().equals("body") ? JsonLocator.pointerAt(bytes, at) : "";
                return new String[] {pointer + inside, StrictText.describe(bytes, (int) at)};
            }
            if (field.getType() == Descriptors.FieldDescriptor.Type.MESSAGE) {
                String[] found = invalidUtf8(field.getMessageType(), value.newCodedInput(), pointer);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
