resource "aws_sfn_state_machine" "wait" {
  name     = "wait"
  role_arn = aws_iam_role.sfn.arn

  definition = <<-EOT
    {
      "StartAt": "Pause",
      "States": {
        "Pause": { "Type": "Wait", "Seconds": "ten", "End": true }
      }
    }
  EOT
}
