package io.tributary.server.conference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which texts are commands, and the definition of the error for those that are not. */
class CommandTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', nullValues = "-", textBlock = """
            `{"command":"joinRoom","room":"r1"}`                 | joinRoom      | r1      | -
            `{"room":"Conf_2.b-x","command":"joinRoom"}`         | joinRoom      | Conf_2.b-x | -
            `{"command":"leaveFromRoom"}`                        | leaveFromRoom | -       | -
            `{"command":"leaveFromRoom","room":"r1"}`            | leaveFromRoom | r1      | -
            `{"command":"sendData","data":"hello"}`              | sendData      | -       | hello
            `{"command":"sendData","data":""}`                   | sendData      | -       | ``
            ` {"command":"sendData","data":"{\\"x\\":1}"} `      | sendData      | -       | {"x":1}
            """)
    void parsesACommand(String text, String name, String room, String data) throws Exception {
        assertThat(Command.parse(text)).isEqualTo(new Command(name, room, data));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            ``                                                   | invalidJson
            hello                                                | invalidJson
            `{"command":"sendData","data":"x"} {}`               | invalidJson
            `{"command":"joinRoom","command":"joinRoom","room":"a"}` | invalidJson
            `"joinRoom"`                                         | invalidMessage
            `null`                                               | invalidMessage
            `{"command":null}`                                   | invalidMessage
            `{"command":1}`                                      | invalidMessage
            `{"command":"joinRoom","room":null}`                 | invalidMessage
            `{"command":"sendData"}`                             | invalidMessage
            `{"command":"sendData","data":{"x":1}}`              | invalidMessage
            `{"command":"sendData","data":"x","room":"r1"}`      | invalidMessage
            `{"command":"leaveFromRoom","data":"x"}`             | invalidMessage
            `{"command":"JoinRoom","room":"r1"}`                 | unknownCommand
            `{"command":"publish"}`                              | unknownCommand
            `{"command":"joinRoom","room":"has space"}`          | invalidRoomId
            `{"command":"joinRoom","room":"."}`                  | invalidRoomId
            `{"command":"leaveFromRoom","room":"a/b"}`           | invalidRoomId
            """)
    void refusesWhatIsNotACommand(String text, String definition) {
        CommandException e = catchThrowableOfType(CommandException.class, () -> Command.parse(text));

        assertThat(e).as("refused").isNotNull();
        assertThat(e.definition()).isEqualTo(definition);
        assertThat(e.getMessage()).isNotBlank();
    }
}
